import { MemoryStore } from '@confab/core';
import { describe, expect, it } from 'vitest';
import { createMatrixBot } from './helpers/matrix-bot.js';
import { MatrixUser, repliesTo, shownText, unique } from './helpers/matrix-user.js';
import { synapseOrSkip } from './helpers/synapse-suite.js';

const synapse = synapseOrSkip('conversation.synapse');

async function people(tag: string) {
  const s = synapse as NonNullable<typeof synapse>;
  const id = unique();
  return {
    alice: await MatrixUser.register(s, `alice-${tag}-${id}`),
    ada: await MatrixUser.register(s, `ada-${tag}-${id}`),
    bob: await MatrixUser.register(s, `bob-${tag}-${id}`),
  };
}

describe.skipIf(!synapse)('matrix conversations (real Synapse)', () => {
  it('lets two mates answer each other within the turn budget', async () => {
    const { alice, ada, bob } = await people('turns');
    const { bot } = createMatrixBot({
      transport: {
        homeserver: synapse?.url,
        accounts: [
          { mate: 'ada', accessToken: ada.accessToken },
          { mate: 'bob', accessToken: bob.accessToken },
        ],
      },
      mates: [
        { name: 'ada', backend: 'scripted', profile: 'ada' },
        { name: 'bob', backend: 'scripted', profile: 'bob' },
      ],
      profiles: { ada: { reply: '@bob ping' }, bob: { reply: '@ada pong' } },
      config: { engine: { botToBot: { enabled: true, turnBudget: 2, cooldownMs: 0 } } },
    });
    const budgetSpent = new Promise<void>((resolve) => {
      bot.events.on('message.dropped', ({ reason }) => {
        if (reason === 'turn-budget') resolve();
      });
    });
    await bot.start();
    try {
      const room = await alice.createRoom({ invite: [ada.userId, bob.userId] });
      await alice.waitForMembership(room, ada.userId);
      await alice.waitForMembership(room, bob.userId);
      const start = await alice.sendText(room, '@ada start');
      const first = await alice.waitFor(room, (e) => e.sender === ada.userId && repliesTo(e, start));
      const pong = await alice.waitFor(room, (e) => e.sender === bob.userId && repliesTo(e, first.event_id));
      await alice.waitFor(room, (e) => e.sender === ada.userId && repliesTo(e, pong.event_id));
      await budgetSpent;
      await bot.stop(5000);
      const mateMessages = (await alice.messages(room)).filter(
        (e) =>
          (e.sender === ada.userId || e.sender === bob.userId) &&
          !JSON.stringify(e.content).includes('m.replace'),
      );
      // One answer to the human, then exactly the two bot-to-bot turns of the budget.
      expect(
        mateMessages.map((e) => `${e.sender === ada.userId ? 'ada' : 'bob'}: ${shownText(e)}`).reverse(),
      ).toEqual(['ada: @bob ping', 'bob: @ada pong', 'ada: @bob ping']);
    } finally {
      await bot.stop(1000);
    }
  });

  it('shows a typing notification while a mate writes, and streams the reply by edits', async () => {
    const { alice, ada } = await people('typing');
    const { bot } = createMatrixBot({
      transport: { homeserver: synapse?.url, accounts: [{ mate: 'ada', accessToken: ada.accessToken }] },
      mates: [{ name: 'ada', backend: 'scripted', profile: 'slow' }],
      // A slow first word (typing shows only while the first text is slow to come), then paced
      // words, so typing and several edits are observable.
      profiles: { slow: { reply: 'one two three four five', firstTokenDelayMs: 1300, chunkDelayMs: 400 } },
    });
    await bot.start();
    try {
      const room = await alice.createRoom({ invite: [ada.userId], isDirect: true });
      await alice.waitForMembership(room, ada.userId);
      const filter = encodeURIComponent(
        JSON.stringify({ room: { timeline: { limit: 0 } }, nonce: unique() }),
      );
      let { next_batch: since } = await alice.request<{ next_batch: string }>(
        'GET',
        `/_matrix/client/v3/sync?timeout=0&filter=${filter}`,
      );
      const asked = await alice.sendText(room, 'type for me');
      const typingSeen: string[][] = [];
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && !typingSeen.some((ids) => ids.includes(ada.userId))) {
        const sync = await alice.request<{
          next_batch: string;
          rooms?: {
            join?: Record<
              string,
              { ephemeral?: { events?: { type: string; content: { user_ids?: string[] } }[] } }
            >;
          };
        }>('GET', `/_matrix/client/v3/sync?timeout=5000&since=${since}`);
        since = sync.next_batch;
        for (const e of sync.rooms?.join?.[room]?.ephemeral?.events ?? []) {
          if (e.type === 'm.typing') typingSeen.push(e.content.user_ids ?? []);
        }
      }
      expect(typingSeen.some((ids) => ids.includes(ada.userId))).toBe(true);
      const answer = await alice.waitFor(
        room,
        (e) => e.sender === ada.userId && repliesTo(e, asked) && shownText(e) === 'one two three four five',
      );
      const edits = (await alice.messages(room)).filter(
        (e) =>
          (e.content['m.relates_to'] as { rel_type?: string; event_id?: string } | undefined)?.event_id ===
          answer.event_id,
      );
      expect(edits.length).toBeGreaterThan(0);
      expect(answer.content.body).not.toBe('one two three four five');
    } finally {
      await bot.stop(1000);
    }
  });

  it('answers invites that arrived while the bot was not running', async () => {
    const { alice, ada } = await people('pending');
    const room = await alice.createRoom({ invite: [ada.userId], isDirect: true });
    const { bot } = createMatrixBot({
      transport: { homeserver: synapse?.url, accounts: [{ mate: 'ada', accessToken: ada.accessToken }] },
      mates: [{ name: 'ada', backend: 'scripted', profile: 'default' }],
    });
    await bot.start();
    try {
      await alice.waitForMembership(room, ada.userId);
      const hi = await alice.sendText(room, 'you made it');
      await alice.waitFor(room, (e) => e.sender === ada.userId && repliesTo(e, hi));
    } finally {
      await bot.stop(1000);
    }
  });

  it('reads history from the room and starts over after !reset', async () => {
    const { alice, ada } = await people('reset');
    const { bot, backend } = createMatrixBot({
      transport: { homeserver: synapse?.url, accounts: [{ mate: 'ada', accessToken: ada.accessToken }] },
      mates: [{ name: 'ada', backend: 'scripted', profile: 'default' }],
      profiles: { default: { reply: 'seen {count}' } },
      config: { commands: { roomCommands: 'anyone' } },
    });
    await bot.start();
    try {
      const room = await alice.createRoom({ invite: [ada.userId], isDirect: true });
      await alice.waitForMembership(room, ada.userId);
      const one = await alice.sendText(room, 'one');
      await alice.waitFor(
        room,
        (e) => e.sender === ada.userId && repliesTo(e, one) && shownText(e) === 'seen 1',
      );
      const two = await alice.sendText(room, 'two');
      await alice.waitFor(
        room,
        (e) => e.sender === ada.userId && repliesTo(e, two) && shownText(e) === 'seen 3',
      );
      expect(backend.calls.at(-1)?.messages).toEqual([
        { role: 'user', content: 'one' },
        { role: 'assistant', content: 'seen 1' },
        { role: 'user', content: 'two' },
      ]);
      const reset = await alice.sendText(room, '!reset');
      await alice.waitFor(room, (e) => e.sender === ada.userId && repliesTo(e, reset));
      const three = await alice.sendText(room, 'three');
      await alice.waitFor(room, (e) => e.sender === ada.userId && repliesTo(e, three));
      // Nothing from before the reset marker; the engine keeps its own reset notice (sent after
      // the marker) in a DM's history, which is core's choice, not the transport's.
      const after = backend.calls.at(-1)?.messages ?? [];
      expect(after.at(-1)).toEqual({ role: 'user', content: 'three' });
      expect(after.map((m) => m.content).filter((c) => /^(one|two|seen \d)$/.test(c))).toEqual([]);
    } finally {
      await bot.stop(1000);
    }
  });

  it('answers no event twice: not after a restart, not on a first sync with a fresh store', async () => {
    const { alice, ada } = await people('restart');
    const store = new MemoryStore();
    const options = {
      transport: { homeserver: synapse?.url, accounts: [{ mate: 'ada', accessToken: ada.accessToken }] },
      mates: [{ name: 'ada', backend: 'scripted', profile: 'default' }],
    };
    const first = createMatrixBot({ ...options, store });
    await first.bot.start();
    const room = await alice.createRoom({ invite: [ada.userId], isDirect: true });
    await alice.waitForMembership(room, ada.userId);
    const before = await alice.sendText(room, 'before the restart');
    await alice.waitFor(room, (e) => e.sender === ada.userId && repliesTo(e, before));
    await first.bot.stop(1000);

    // Sent while the bot is down: answered once after the restart.
    const whileDown = await alice.sendText(room, 'while the bot is down');
    const second = createMatrixBot({ ...options, store });
    await second.bot.start();
    try {
      await alice.waitFor(room, (e) => e.sender === ada.userId && repliesTo(e, whileDown));
      const after = await alice.sendText(room, 'after the restart');
      await alice.waitFor(room, (e) => e.sender === ada.userId && repliesTo(e, after));
    } finally {
      await second.bot.stop(1000);
    }

    // A fresh store: no sync token, so the first sync would replay the room's history.
    const fresh = createMatrixBot({ ...options, store: new MemoryStore() });
    await fresh.bot.start();
    let sentinel: string;
    try {
      sentinel = await alice.sendText(room, 'to the fresh bot');
      await alice.waitFor(room, (e) => e.sender === ada.userId && repliesTo(e, sentinel));
    } finally {
      await fresh.bot.stop(1000);
    }
    const events = await alice.messages(room);
    const answers = (id: string) => events.filter((e) => e.sender === ada.userId && repliesTo(e, id)).length;
    expect([answers(before), answers(whileDown), answers(sentinel)]).toEqual([1, 1, 1]);
  });
});
