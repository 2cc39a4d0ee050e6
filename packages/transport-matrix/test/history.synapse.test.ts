import { type ChatMessage, MemoryStore, PlatformHistory, type Store } from '@confab/core';
import { type HttpRecorder, startHttpRecorder } from '@confab/testkit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMatrixBot } from './helpers/matrix-bot.js';
import { MatrixUser, unique } from './helpers/matrix-user.js';
import { synapseOrSkip } from './helpers/synapse-suite.js';

const synapse = synapseOrSkip('history.synapse');

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** An open store, closed after the test; pass the same one to a second transport to restart. */
async function openStore(): Promise<Store> {
  const store = new MemoryStore();
  await store.open();
  cleanup.push(() => store.close());
  return store;
}

/**
 * The transport alone (no engine) feeding a PlatformHistory, as the engine does, with the
 * homeserver behind a request recorder.
 */
async function startTransport(ada: MatrixUser, log: HttpRecorder, store: Store) {
  const { transport } = createMatrixBot({
    transport: { homeserver: log.url, accounts: [{ mate: 'ada', accessToken: ada.accessToken }] },
    mates: [{ name: 'ada', backend: 'scripted', profile: 'default' }],
    store,
  });
  const history = new PlatformHistory();
  const delivered: ChatMessage[] = [];
  await transport.start(async (message) => {
    history.observe(message);
    delivered.push(message);
  });
  cleanup.push(() => transport.stop());
  const arrived = (eventId: string) =>
    vi.waitFor(
      () => {
        const found = delivered.find((m) => m.id === eventId);
        if (!found) throw new Error(`${eventId} not delivered yet`);
        return found;
      },
      { timeout: 20_000, interval: 50 },
    );
  return { transport, history, arrived };
}

/** GET requests for a room's messages (`/messages`) or for one event (`/event/{id}`). */
const requests = (log: HttpRecorder, kind: 'messages' | 'event') =>
  log.requests.filter((r) => r.method === 'GET' && new RegExp(`/rooms/[^/?]+/${kind}(/|\\?|$)`).test(r.url))
    .length;

describe.skipIf(!synapse)('platform history on matrix (real Synapse)', () => {
  it('reads a room once, resolves replies from events it saw, and reads again after an edit or redaction', async () => {
    const s = synapse as NonNullable<typeof synapse>;
    const id = unique();
    const alice = await MatrixUser.register(s, `alice-history-${id}`);
    const ada = await MatrixUser.register(s, `ada-history-${id}`);
    const log = await startHttpRecorder(s.url);
    cleanup.push(() => log.close());
    const room = await alice.createRoom({ invite: [ada.userId] });
    await ada.join(room);
    // Before the transport runs: only the room's history has these.
    const first = await alice.sendText(room, 'first');
    await alice.sendText(room, 'a reply to the first', {
      'm.relates_to': { 'm.in_reply_to': { event_id: first } },
    });
    const third = await alice.sendText(room, 'third');

    const { transport, history, arrived } = await startTransport(ada, log, await openStore());
    const fourth = await arrived(await alice.sendText(room, 'fourth'));
    const read = () => history.read(transport, fourth, { limit: 20 });
    const cold = await read();
    expect(cold.map((m) => m.text)).toEqual(['first', 'a reply to the first', 'third', 'fourth']);
    expect(cold[1]?.replyTo).toEqual({ messageId: first, senderId: alice.userId, text: 'first' });
    // One read of the room (its pages); the reply in it was resolved from the page it came in.
    const coldReads = requests(log, 'messages');
    expect(coldReads).toBeGreaterThan(0);
    expect(requests(log, 'event')).toBe(0);

    // A reply to a message the transport saw: resolved without asking the homeserver.
    const reply = await arrived(
      await alice.sendText(room, 'and a reply to the fourth', {
        'm.relates_to': { 'm.in_reply_to': { event_id: fourth.id } },
      }),
    );
    expect(reply.replyTo).toEqual({ messageId: fourth.id, senderId: alice.userId, text: 'fourth' });
    expect((await read()).map((m) => m.text)).toEqual([
      ...cold.map((m) => m.text),
      'and a reply to the fourth',
    ]);
    expect(requests(log, 'messages')).toBe(coldReads);
    expect(requests(log, 'event')).toBe(0);

    // An edit is not delivered as a message, but the next read goes to the homeserver for it.
    const epoch = transport.historyEpoch(fourth);
    await alice.send(room, {
      msgtype: 'm.text',
      body: '* first, edited',
      'm.new_content': { msgtype: 'm.text', body: 'first, edited' },
      'm.relates_to': { rel_type: 'm.replace', event_id: first },
    });
    await vi.waitFor(() => expect(transport.historyEpoch(fourth)).not.toBe(epoch), { timeout: 20_000 });
    expect((await read())[0]?.text).toBe('first, edited');
    const afterEdit = requests(log, 'messages');
    expect(afterEdit).toBeGreaterThan(coldReads);

    const beforeRedaction = transport.historyEpoch(fourth);
    await alice.request(
      'PUT',
      `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/redact/${encodeURIComponent(third)}/r${id}`,
      {
        reason: 'test',
      },
    );
    await vi.waitFor(() => expect(transport.historyEpoch(fourth)).not.toBe(beforeRedaction), {
      timeout: 20_000,
    });
    expect((await read()).map((m) => m.text)).toEqual([
      'first, edited',
      'a reply to the first',
      'fourth',
      'and a reply to the fourth',
    ]);
    expect(requests(log, 'messages')).toBeGreaterThan(afterEdit);
  });

  it('reports a room whose sync left events out (a limited timeline) as a history gap', async () => {
    const s = synapse as NonNullable<typeof synapse>;
    const id = unique();
    const alice = await MatrixUser.register(s, `alice-limited-${id}`);
    const ada = await MatrixUser.register(s, `ada-limited-${id}`);
    const log = await startHttpRecorder(s.url);
    cleanup.push(() => log.close());
    const busy = await alice.createRoom({ invite: [ada.userId] });
    const quiet = await alice.createRoom({ invite: [ada.userId] });
    await ada.join(busy);
    await ada.join(quiet);
    const store = await openStore();
    const first = await startTransport(ada, log, store);
    await first.arrived(await alice.sendText(busy, 'hello'));
    await first.transport.stop();

    // More than a sync's timeline holds (10 by default) while the transport is away.
    let last = '';
    for (let i = 0; i < 15; i++) last = await alice.sendText(busy, `while away ${i}`);
    const again = await startTransport(ada, log, store);
    await again.arrived(last);
    const at = (roomId: string) =>
      again.transport.historyEpoch({ transport: 'matrix', roomId, isDirect: false });
    expect(at(busy)).toBeGreaterThan(at(quiet));
  });
});
