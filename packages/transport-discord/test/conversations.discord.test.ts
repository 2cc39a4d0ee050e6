import { StoreNamespaces } from '@confab/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredDiscordIdentity } from '../src/discord-transport.js';
import { startWorld, type World } from './discord-world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

describe('conversations through real discord.js and the emulator', () => {
  it('answers a DM with the history read from Discord, oldest first', async () => {
    world = await startWorld();
    const { discord, alice, bots, backend } = world;
    const ada = bots.ada!;
    const dm = discord.dm(alice.id, ada.user.id);
    // Old conversation that only Discord has: confab stored none of it.
    const now = Date.now();
    discord.userSays(dm.id, alice.id, 'my name is Alice', { at: now - 60_000, dispatch: false });
    discord.userSays(dm.id, ada.user.id, 'Nice to meet you, Alice.', { at: now - 59_000, dispatch: false });

    const question = discord.userSays(dm.id, alice.id, 'what is my name?');
    const answer = await world.reply(dm.id, question.id, 'You said: what is my name?');

    expect(answer.authorId).toBe(ada.user.id);
    expect(backend.calls).toHaveLength(1);
    expect(backend.calls[0]?.messages).toEqual([
      { role: 'user', content: 'my name is Alice' },
      { role: 'assistant', content: 'Nice to meet you, Alice.' },
      { role: 'user', content: 'what is my name?' },
    ]);
    expect(discord.requests.some((r) => r.method === 'GET' && r.path === `/channels/${dm.id}/messages`)).toBe(
      true,
    );
    // DMs are per-user conversations routed to the mate whose account received them.
    const [received] = world.eventsOf('message.received');
    expect(received?.message).toMatchObject({ isDirect: true, receivedBy: ada.user.id, roomId: dm.id });
  });

  it('pages back through Discord history, 100 messages per request', async () => {
    world = await startWorld({
      config: {
        mates: [{ name: 'ada', backend: 'scripted', profile: 'default', history: { maxMessages: 60 } }],
      },
    });
    const { discord, alice, bots, backend } = world;
    const dm = discord.dm(alice.id, bots.ada!.user.id);
    const start = Date.now() - 200_000;
    for (let i = 0; i < 150; i++)
      discord.userSays(dm.id, alice.id, `m${i}`, { at: start + i * 1000, dispatch: false });
    const question = discord.userSays(dm.id, alice.id, 'last');
    await world.reply(dm.id, question.id, 'You said: last');

    const seen = backend.calls[0]?.messages.map((m) => m.content);
    expect(seen).toEqual([...Array.from({ length: 60 }, (_, i) => `m${90 + i}`), 'last']);
    const reads = discord.requests.filter(
      (r) => r.method === 'GET' && r.path === `/channels/${dm.id}/messages`,
    );
    expect(reads).toHaveLength(2);
  });

  it('!reset starts the DM history afresh after the marker', async () => {
    world = await startWorld();
    const { discord, alice, bots, backend } = world;
    const dm = discord.dm(alice.id, bots.ada!.user.id);
    const first = discord.userSays(dm.id, alice.id, 'remember 42');
    await world.reply(dm.id, first.id, 'You said: remember 42');
    const reset = discord.userSays(dm.id, alice.id, '!reset');
    await world.reply(dm.id, reset.id);
    const after = discord.userSays(dm.id, alice.id, 'what number?');
    await world.reply(dm.id, after.id, 'You said: what number?');

    expect(backend.calls).toHaveLength(2);
    expect(backend.calls[1]?.messages).toEqual([{ role: 'user', content: 'what number?' }]);
  });

  it('answers later messages from what it saw: one history read per channel, replies as they finally read', async () => {
    // Streamed by edits: Discord's echo of each reply carries only its first word.
    world = await startWorld({ profiles: { default: { chunkDelayMs: 20 } } });
    const { discord, alice, bots, general, backend } = world;
    const ada = bots.ada!;
    const one = discord.userSays(general.id, alice.id, `<@${ada.user.id}> one`);
    await world.reply(general.id, one.id, 'You said: one');
    const two = discord.userSays(general.id, alice.id, `<@${ada.user.id}> two`);
    await world.reply(general.id, two.id, 'You said: two');
    const reads = discord.requests.filter(
      (r) => r.method === 'GET' && r.path === `/channels/${general.id}/messages`,
    );
    expect(reads).toHaveLength(1);
    expect(backend.calls[1]?.messages.map((m) => m.content)).toEqual(['one', 'You said: one', 'two']);
  });

  it('answers a mention and a reply to its message in a guild channel, and nothing else', async () => {
    world = await startWorld();
    const { discord, alice, bots, general } = world;
    const ada = bots.ada!;
    const mention = discord.userSays(general.id, alice.id, `<@${ada.user.id}> hello there`);
    const first = await world.reply(general.id, mention.id, 'You said: hello there');
    expect(first.authorId).toBe(ada.user.id);

    const unaddressed = discord.userSays(general.id, alice.id, 'just chatting with people');
    await world.waitForEvent('message.dropped', (e) => e.message.id === unaddressed.id);
    expect(world.eventsOf('message.dropped').find((e) => e.message.id === unaddressed.id)?.reason).toBe(
      'not-addressed',
    );

    const reply = discord.userSays(general.id, alice.id, 'and one more thing', { replyTo: first.id });
    await world.reply(general.id, reply.id, 'You said: and one more thing');
    const routed = world.eventsOf('message.routed').map((e) => e.message.id);
    expect(routed).toEqual([mention.id, reply.id]);
    const inbound = world.eventsOf('message.received').find((e) => e.message.id === reply.id)?.message;
    expect(inbound).toMatchObject({
      isDirect: false,
      roomId: general.id,
      replyTo: { messageId: first.id, senderId: ada.user.id },
    });
    expect(
      world.eventsOf('message.received').find((e) => e.message.id === mention.id)?.message,
    ).toMatchObject({
      mentions: [ada.user.id],
      text: '@ada hello there',
    });
  });

  it('a thread is its own conversation with the thread history', async () => {
    world = await startWorld({
      config: { mates: [{ name: 'ada', backend: 'scripted', profile: 'default', scope: 'per-room' }] },
    });
    const { discord, alice, bots, general, backend } = world;
    const ada = bots.ada!;
    discord.userSays(general.id, alice.id, 'channel talk, not in the thread', {
      dispatch: false,
      at: Date.now() - 5000,
    });
    const thread = discord.addThread(general.id, 'planning');
    discord.userSays(thread.id, alice.id, 'thread opener', { dispatch: false, at: Date.now() - 1000 });
    const ask = discord.userSays(thread.id, alice.id, `<@${ada.user.id}> summarise`);
    const answer = await world.reply(thread.id, ask.id, 'You said: summarise');

    expect(answer.channelId).toBe(thread.id);
    expect(backend.calls[0]?.messages.map((m) => m.content)).toEqual(['thread opener', 'summarise']);
    expect(world.eventsOf('message.received')[0]?.message).toMatchObject({
      roomId: general.id,
      threadId: thread.id,
    });
  });

  it('shows typing while answering and keeps the bot identities in the store', async () => {
    // Typing shows only while the first text is slow to come.
    world = await startWorld({ profiles: { default: { firstTokenDelayMs: 1300 } } });
    const { discord, alice, bots, general, test } = world;
    const ask = discord.userSays(general.id, alice.id, `<@${bots.ada!.user.id}> hi`);
    await world.reply(general.id, ask.id, 'You said: hi');
    expect(discord.typings.some((t) => t.channelId === general.id && t.botId === bots.ada!.user.id)).toBe(
      true,
    );
    expect(world.transport.identities()).toEqual([
      { mate: 'ada', userId: bots.ada!.user.id, displayName: 'ada' },
    ]);
    const stored = await test.store.get<StoredDiscordIdentity>(StoreNamespaces.identities, 'discord:ada');
    expect(stored).toMatchObject({ platform: 'discord', mate: 'ada', userId: bots.ada!.user.id });
  });
});
