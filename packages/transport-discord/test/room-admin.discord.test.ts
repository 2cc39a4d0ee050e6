import { Permission } from '@confab/testkit/discord-emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorld, type World } from './discord-world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const DENIED = 'Only room admins can use !stop here.';

describe('room-wide commands need Manage Channels', () => {
  it('computes the permission from the owner, roles and channel overwrites', async () => {
    world = await startWorld();
    const { discord, alice, carol, guild, general } = world;
    const mods = discord.addRole(guild.id, 'mods', Permission.ManageChannels);
    const dave = discord.addUser('dave');
    discord.addMember(guild.id, dave.id, [mods.id]);
    const ops = discord.addChannel(guild.id, 'ops', [
      { id: carol.id, type: 'member', allow: Permission.ManageChannels, deny: 0n },
    ]);
    // The role and channel reach the bot as gateway events, ahead of the messages below on the
    // same ordered connection.
    const answer = async (channelId: string, userId: string) => {
      const asked = discord.userSays(channelId, userId, '!stop');
      return (await world!.reply(channelId, asked.id)).content;
    };
    expect(await answer(general.id, carol.id)).toBe(DENIED);
    expect(await answer(general.id, dave.id)).not.toBe(DENIED);
    expect(await answer(general.id, alice.id)).not.toBe(DENIED);
    expect(await answer(ops.id, carol.id)).not.toBe(DENIED);
  });
});
