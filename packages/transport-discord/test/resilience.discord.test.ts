import { isConfabError } from '@confab/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startWorld, type World } from './discord-world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

describe('gateway drops and bad accounts', () => {
  it('resumes after a drop (missed messages replayed) and re-identifies after a closed session, answering each message once', async () => {
    world = await startWorld();
    const { discord, alice, bots, general } = world;
    const ada = bots.ada!;
    const mention = `<@${ada.user.id}>`;
    const before = discord.userSays(general.id, alice.id, `${mention} one`);
    await world.reply(general.id, before.id, 'You said: one');

    discord.disconnect(ada.user.id, 4000);
    // Posted while the client is away: Discord keeps it for the RESUME.
    const during = discord.userSays(general.id, alice.id, `${mention} two`);
    await world.reply(general.id, during.id, 'You said: two');
    expect(discord.handshakes.resume).toBe(1);

    discord.disconnect(ada.user.id, 1000);
    await discord.until(
      'a new session',
      () => discord.handshakes.identify === 2 && discord.connections(ada.user.id) === 1,
    );
    const after = discord.userSays(general.id, alice.id, `${mention} three`);
    await world.reply(general.id, after.id, 'You said: three');

    for (const question of [before, during, after]) {
      expect(world.repliesTo(general.id, question.id)).toHaveLength(1);
      expect(world.eventsOf('message.routed').filter((e) => e.message.id === question.id)).toHaveLength(1);
    }
    expect(world.backend.calls).toHaveLength(3);
    expect(discord.postedBy(ada.user.id)).toHaveLength(3);
  });

  it('finishes a reply that is streaming while the gateway drops, once and complete', async () => {
    const text = Array.from({ length: 30 }, (_, i) => `part${i}`).join(' ');
    world = await startWorld({ profiles: { default: { reply: text, chunkDelayMs: 20 } } });
    const { discord, alice, bots, general } = world;
    const ada = bots.ada!;
    const ask = discord.userSays(general.id, alice.id, `<@${ada.user.id}> stream`);
    // Drop the gateway once the reply has started streaming; REST keeps working meanwhile.
    await world.reply(general.id, ask.id);
    discord.disconnect(ada.user.id, 4000);
    const done = await world.reply(general.id, ask.id, text);
    await discord.until(
      'the resume',
      () => discord.handshakes.resume === 1 && discord.connections(ada.user.id) === 1,
    );

    expect(world.repliesTo(general.id, ask.id)).toEqual([done]);
    expect(world.backend.calls).toHaveLength(1);
    expect(world.eventsOf('message.routed').filter((e) => e.message.id === ask.id)).toHaveLength(1);
  });

  it('reports a bad token and a missing Message Content intent per mate while the others keep running', async () => {
    world = await startWorld({
      mates: ['ada', 'bob', 'cy'],
      accounts: { bob: { token: 'not-a-real.token' } },
      withoutMessageContent: ['cy'],
    });
    const { discord, alice, bots, general } = world;
    const errors = world.eventsOf('transport.error').map((e) => e.message);
    expect(errors).toHaveLength(2);
    expect(errors.find((m) => m.includes("mate 'bob'"))).toMatch(/rejected the bot token.*Reset Token/);
    expect(errors.find((m) => m.includes("mate 'cy'"))).toMatch(/MESSAGE CONTENT INTENT/);
    for (const message of errors) {
      for (const bot of Object.values(bots)) expect(message).not.toContain(bot.token);
      expect(message).not.toContain('not-a-real.token');
    }
    expect(world.transport.identities().map((i) => i.mate)).toEqual(['ada']);

    const ask = discord.userSays(general.id, alice.id, `<@${bots.ada!.user.id}> still there?`);
    await world.reply(general.id, ask.id, 'You said: still there?');
  });

  it('reports a mate whose token is revoked while running, and hands its channels to the others', async () => {
    world = await startWorld({ mates: ['ada', 'bob'] });
    const { discord, alice, bots, general } = world;
    discord.disconnect(bots.ada!.user.id, 4004);
    const error = await world.waitForEvent('transport.error', () => true);
    expect(error.message).toMatch(/^transport 'discord' mate 'ada': Discord rejected the bot token/);
    expect(world.transport.identities().map((i) => i.mate)).toEqual(['bob']);

    const ask = discord.userSays(general.id, alice.id, `<@${bots.bob!.user.id}> are you there?`);
    const answer = await world.reply(general.id, ask.id, 'You said: are you there?');
    expect(answer.authorId).toBe(bots.bob!.user.id);
    expect(world.eventsOf('message.received').find((e) => e.message.id === ask.id)?.message.receivedBy).toBe(
      bots.bob!.user.id,
    );
  });

  it('fails the start when no mate can log in, naming each', async () => {
    const failure = await startWorld({ accounts: { ada: { token: 'bad.token' } } }).then(
      (started) => {
        world = started;
        return undefined;
      },
      (error: unknown) => error,
    );
    expect(isConfabError(failure)).toBe(true);
    expect((failure as Error).message).toMatch(
      /^transport 'discord' mate 'ada': Discord rejected the bot token/,
    );
  });
});
