import { afterEach, describe, expect, it } from 'vitest';
import { startWorld, type World } from './discord-world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

describe('two mates in one channel', () => {
  it('delivers each message once and follows the bot-to-bot turn budget', async () => {
    world = await startWorld({
      mates: ['ada', 'bob'],
      profiles: {
        ada: { reply: '@bob what do you think about {text}?' },
        bob: { reply: '@ada I agree.' },
      },
      config: { engine: { botToBot: { enabled: true, turnBudget: 1, cooldownMs: 0 } } },
    });
    const { discord, alice, bots, general } = world;
    const ada = bots.ada!;
    const bob = bots.bob!;
    const ask = discord.userSays(general.id, alice.id, `<@${ada.user.id}> tabs or spaces`);

    // ada answers alice; bob answers ada's finished reply (turn 1); ada may not answer bob (budget).
    const adaReply = await world.reply(general.id, ask.id, '@bob what do you think about tabs or spaces?');
    const budget = await world.waitForEvent('message.dropped', (e) => e.reason === 'turn-budget');
    expect(budget.message.sender.id).toBe(bob.user.id);
    const bobReply = await discord.until('bob to finish', () =>
      discord.postedBy(bob.user.id).find((m) => m.content === '@ada I agree.'),
    );
    expect(bobReply.channelId).toBe(general.id);
    expect(discord.postedBy(ada.user.id)).toEqual([adaReply]);
    expect(discord.postedBy(bob.user.id)).toEqual([bobReply]);

    // Both clients saw alice's message; the transport handed it to the engine once.
    await world.waitForEvent(
      'message.dropped',
      (e) => e.message.id === bobReply.id && e.reason === 'own-echo',
    );
    expect(world.eventsOf('message.received').filter((e) => e.message.id === ask.id)).toHaveLength(1);
    expect(world.eventsOf('message.dropped').filter((e) => e.reason === 'duplicate')).toEqual([]);
    // The platform echoes of both mates' messages are dropped, whichever client delivered them.
    const echoes = world.eventsOf('message.dropped').filter((e) => e.reason === 'own-echo');
    expect(echoes.map((e) => e.message.id).sort()).toEqual([adaReply.id, bobReply.id].sort());
  });

  it('keeps a mate out of channels its allowlist does not name', async () => {
    world = await startWorld({
      mates: ['ada', 'bob'],
      accounts: { bob: { channels: ['1000000000000000001'] } },
    });
    const { discord, alice, bots, general } = world;
    const ask = discord.userSays(
      general.id,
      alice.id,
      `<@${bots.ada!.user.id}> <@${bots.bob!.user.id}> hi both`,
    );
    await world.reply(general.id, ask.id, 'You said: bob hi both');
    const routed = await world.waitForEvent('message.routed', (e) => e.message.id === ask.id);
    expect(routed.mates).toEqual(['ada']);
    expect(routed.message.mentions).toEqual([bots.ada!.user.id]);
    expect(routed.message.audience).toEqual(['ada']);
    expect(discord.postedBy(bots.bob!.user.id)).toEqual([]);

    // Not even a keyword or a "bob:" address brings bob into a channel outside his allowlist.
    const named = discord.userSays(general.id, alice.id, 'bob: are you here?');
    const dropped = await world.waitForEvent('message.dropped', (e) => e.message.id === named.id);
    expect(dropped.reason).toBe('not-addressed');
  });
});
