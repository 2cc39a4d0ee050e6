import { describe, expect, it } from 'vitest';
import { PlatformHistory } from '../../src/engine/platform-history.js';
import type { ChatLocation, ChatMessage } from '../../src/messages/chat-message.js';
import type { HistoryQuery, SentMessage, Transport } from '../../src/transport/transport.js';

/**
 * A platform that keeps history, as our Transport contract describes it: messages are posted
 * (and delivered, unless the test drops them), edited in place, and read back by fetchHistory.
 */
class KeepingPlatform implements Transport {
  readonly name = 'keeping';
  readonly platform = 'test';
  readonly capabilities = { maxMessageLength: 2000, edits: true, minEditIntervalMs: 0 };
  readonly stored: ChatMessage[] = [];
  readonly reads: HistoryQuery[] = [];
  epoch = 0;
  /** The next fetchHistory waits for this, when set. */
  hold: Promise<void> | undefined;
  failNext = false;
  private clock = 1_000;

  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  identities() {
    return [{ mate: 'ada', userId: 'bot:ada', displayName: 'ada' }];
  }
  async send(): Promise<SentMessage> {
    throw new Error('not used');
  }
  async edit(): Promise<void> {}

  async fetchHistory(message: ChatMessage, query: HistoryQuery): Promise<ChatMessage[]> {
    this.reads.push(query);
    await this.hold;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('platform unavailable');
    }
    const after = query.after?.timestamp ?? Number.NEGATIVE_INFINITY;
    return this.stored
      .filter((m) => sameLocation(m, message) && m.timestamp > after)
      .slice(-query.limit)
      .map((m) => ({ ...m }));
  }

  historyEpoch(): number {
    return this.epoch;
  }

  /** A message lands on the platform. */
  post(text: string, options: { from?: string; roomId?: string; threadId?: string; at?: number } = {}) {
    const id = `m${this.stored.length + 1}`;
    this.clock = options.at ?? this.clock + 10;
    const message: ChatMessage = {
      id,
      platform: 'test',
      transport: this.name,
      roomId: options.roomId ?? 'room',
      ...(options.threadId !== undefined ? { threadId: options.threadId } : {}),
      isDirect: false,
      sender: { id: options.from ?? 'u:alice', name: options.from ?? 'alice', isBot: false },
      text,
      mentions: [],
      timestamp: this.clock,
    };
    this.stored.push(message);
    return message;
  }

  deleteStored(id: string): void {
    this.stored.splice(
      this.stored.findIndex((m) => m.id === id),
      1,
    );
  }

  editStored(id: string, text: string): void {
    const at = this.stored.findIndex((m) => m.id === id);
    this.stored[at] = { ...(this.stored[at] as ChatMessage), text };
  }
}

function sameLocation(a: ChatLocation, b: ChatLocation): boolean {
  return a.transport === b.transport && a.roomId === b.roomId && (a.threadId ?? '') === (b.threadId ?? '');
}

const texts = (messages: readonly ChatMessage[]) => messages.map((m) => m.text);

/** Posts a message and lets the history observe it, as the engine does with every inbound one. */
function say(platform: KeepingPlatform, history: PlatformHistory, text: string, options = {}) {
  const message = platform.post(text, options);
  history.observe(message);
  return message;
}

describe('PlatformHistory', () => {
  it('reads the platform once on a cold start, then answers from what it observed', async () => {
    const platform = new KeepingPlatform();
    const history = new PlatformHistory();
    for (let i = 0; i < 5; i++) platform.post(`before start ${i}`);
    const first = say(platform, history, 'first question');

    const query = { limit: 4 };
    expect(texts(await history.read(platform, first, query))).toEqual(
      texts(await platform.fetchHistory(first, query)),
    );
    expect(platform.reads).toHaveLength(2);

    say(platform, history, 'chatter');
    const second = say(platform, history, 'second question');
    const read = await history.read(platform, second, query);
    expect(platform.reads).toHaveLength(2);
    expect(read).toEqual(await platform.fetchHistory(second, query));
    expect(texts(read)).toEqual(['before start 4', 'first question', 'chatter', 'second question']);
  });

  it('answers every limit and `after` the platform would answer, once it knows enough', async () => {
    const platform = new KeepingPlatform();
    const history = new PlatformHistory();
    for (let i = 0; i < 30; i++) platform.post(`old ${i}`);
    let last = say(platform, history, 'now');
    await history.read(platform, last, { limit: 20 });
    for (let i = 0; i < 10; i++) last = say(platform, history, `live ${i}`);
    const fetchesBefore = platform.reads.length;

    const cutoff = platform.stored[25]?.timestamp as number;
    for (const query of [
      { limit: 1 },
      { limit: 20 },
      { limit: 29 },
      { limit: 100, after: { timestamp: cutoff } },
      { limit: 3, after: { timestamp: cutoff } },
    ]) {
      const expected = await platform.fetchHistory(last, query);
      expect(await history.read(platform, last, query), JSON.stringify(query)).toEqual(expected);
    }
    // Only the two platform reads above were made for the comparison; the history made none.
    expect(platform.reads.length - fetchesBefore).toBe(5);
  });

  it('goes to the platform for older messages than it can vouch for, and merges them', async () => {
    const platform = new KeepingPlatform();
    const history = new PlatformHistory();
    for (let i = 0; i < 30; i++) platform.post(`old ${i}`);
    const current = say(platform, history, 'now');
    await history.read(platform, current, { limit: 5 });
    expect(platform.reads).toHaveLength(1);

    const wider = await history.read(platform, current, { limit: 12 });
    expect(platform.reads).toHaveLength(2);
    expect(wider).toEqual(await platform.fetchHistory(current, { limit: 12 }));
    await history.read(platform, current, { limit: 12 });
    await history.read(platform, current, { limit: 4 });
    expect(platform.reads).toHaveLength(3);

    // Everything newer than a point the platform has fewer messages after than asked for.
    const all = await history.read(platform, current, { limit: 500 });
    expect(all).toHaveLength(31);
    expect(platform.reads).toHaveLength(4);
    await history.read(platform, current, { limit: 500 });
    await history.read(platform, current, { limit: 500, after: { timestamp: 0 } });
    expect(platform.reads).toHaveLength(4);
  });

  it('shares one platform read among concurrent reads of a cold location', async () => {
    const platform = new KeepingPlatform();
    const history = new PlatformHistory();
    platform.post('before');
    const current = say(platform, history, 'question');
    let release = () => {};
    platform.hold = new Promise((resolve) => {
      release = resolve;
    });
    const reads = [1, 2, 3].map(() => history.read(platform, current, { limit: 10 }));
    await Promise.resolve();
    release();
    const results = await Promise.all(reads);
    expect(platform.reads).toHaveLength(1);
    for (const result of results) expect(texts(result)).toEqual(['before', 'question']);
  });

  it("keeps a mate's recorded final text over the platform's echo of its first fragment", async () => {
    const platform = new KeepingPlatform();
    const history = new PlatformHistory();
    const question = say(platform, history, 'tell me a story');
    await history.read(platform, question, { limit: 10 });

    // Streaming by edits: the echo carries the first fragment, the final text is recorded.
    const reply = platform.post('Once', { from: 'bot:ada' });
    history.observe(reply);
    platform.editStored(reply.id, 'Once upon a time.');
    history.record({ ...reply, text: 'Once upon a time.' });
    // A copy the platform delivers late (a replay) does not bring the fragment back.
    history.observe(reply);
    const next = say(platform, history, 'and then?');
    expect(texts(await history.read(platform, next, { limit: 10 }))).toEqual([
      'tell me a story',
      'Once upon a time.',
      'and then?',
    ]);

    // A platform that never echoes the mates' messages (Matrix): the record alone, and an echo
    // arriving after the record keeps the recorded text and takes the platform's timestamp.
    const unechoed = platform.post('Twice upon a time.', { from: 'bot:ada' });
    history.record({ ...unechoed, text: 'Twice upon a time.', timestamp: unechoed.timestamp + 5 });
    history.observe({ ...unechoed, text: 'Twice' });
    const last = say(platform, history, 'more');
    const read = await history.read(platform, last, { limit: 10 });
    expect(platform.reads).toHaveLength(1);
    expect(read).toEqual(await platform.fetchHistory(last, { limit: 10 }));
  });

  it('reads the platform again after the transport reports a gap, and takes its edits', async () => {
    const platform = new KeepingPlatform();
    const history = new PlatformHistory();
    const first = say(platform, history, 'one');
    await history.read(platform, first, { limit: 10 });

    // Lost while the transport was away, and an edit it does not deliver.
    platform.post('missed during the reconnect');
    platform.editStored(first.id, 'one (edited)');
    platform.epoch++;
    const after = say(platform, history, 'two');
    expect(texts(await history.read(platform, after, { limit: 10 }))).toEqual([
      'one (edited)',
      'missed during the reconnect',
      'two',
    ]);
    expect(platform.reads).toHaveLength(2);
    await history.read(platform, after, { limit: 10 });
    expect(platform.reads).toHaveLength(2);
  });

  it('forgets what the platform deleted once it reads the platform again', async () => {
    const platform = new KeepingPlatform();
    const history = new PlatformHistory();
    const first = say(platform, history, 'one');
    const second = say(platform, history, 'regretted');
    await history.read(platform, first, { limit: 10 });
    platform.deleteStored(second.id);
    platform.epoch++;
    const third = say(platform, history, 'three');
    expect(texts(await history.read(platform, third, { limit: 10 }))).toEqual(['one', 'three']);
    expect(await history.read(platform, third, { limit: 10 })).toEqual(
      await platform.fetchHistory(third, { limit: 10 }),
    );
    // The newest, too: the read returned nothing after it, but the window knew it before.
    platform.deleteStored(third.id);
    platform.epoch++;
    expect(texts(await history.read(platform, first, { limit: 10 }))).toEqual(['one']);
  });

  it('after a gap vouches only for what the new read covered', async () => {
    const platform = new KeepingPlatform();
    const history = new PlatformHistory();
    for (let i = 0; i < 5; i++) platform.post(`old ${i}`);
    const first = say(platform, history, 'first');
    await history.read(platform, first, { limit: 100 });
    platform.epoch++;
    for (let i = 0; i < 5; i++) platform.post(`missed ${i}`);
    const current = say(platform, history, 'current');
    await history.read(platform, current, { limit: 3 });
    expect(platform.reads).toHaveLength(2);
    // The gap read held only the newest 3: the older ones must come from the platform again.
    const wide = await history.read(platform, current, { limit: 100 });
    expect(platform.reads).toHaveLength(3);
    expect(wide).toEqual(await platform.fetchHistory(current, { limit: 100 }));
  });

  it('keeps rooms and threads apart', async () => {
    const platform = new KeepingPlatform();
    const history = new PlatformHistory();
    const inRoom = say(platform, history, 'in the room');
    const inThread = say(platform, history, 'in the thread', { threadId: 't1' });
    const elsewhere = say(platform, history, 'in another room', { roomId: 'other' });
    expect(texts(await history.read(platform, inRoom, { limit: 10 }))).toEqual(['in the room']);
    expect(texts(await history.read(platform, inThread, { limit: 10 }))).toEqual(['in the thread']);
    expect(texts(await history.read(platform, elsewhere, { limit: 10 }))).toEqual(['in another room']);
    expect(platform.reads).toHaveLength(3);
  });

  it('is bounded: messages per location and locations', async () => {
    const platform = new KeepingPlatform();
    const history = new PlatformHistory({ maxMessages: 5, maxLocations: 2 });
    let last = say(platform, history, 'start');
    await history.read(platform, last, { limit: 5 });
    for (let i = 0; i < 8; i++) last = say(platform, history, `m${i}`);
    expect(texts(await history.read(platform, last, { limit: 5 }))).toEqual(['m3', 'm4', 'm5', 'm6', 'm7']);
    expect(platform.reads).toHaveLength(1);
    // More than it keeps: the platform answers.
    expect(texts(await history.read(platform, last, { limit: 7 }))).toHaveLength(7);
    expect(platform.reads).toHaveLength(2);

    // Two other rooms push the first out; it starts cold again.
    for (const roomId of ['a', 'b']) {
      const message = say(platform, history, 'hi', { roomId });
      await history.read(platform, message, { limit: 5 });
    }
    expect(platform.reads).toHaveLength(4);
    await history.read(platform, last, { limit: 5 });
    expect(platform.reads).toHaveLength(5);
  });

  it('lets a failed platform read fail its reader, and the next read tries again', async () => {
    const platform = new KeepingPlatform();
    const history = new PlatformHistory();
    const message = say(platform, history, 'hello');
    platform.failNext = true;
    await expect(history.read(platform, message, { limit: 5 })).rejects.toThrow('platform unavailable');
    expect(texts(await history.read(platform, message, { limit: 5 }))).toEqual(['hello']);
    expect(platform.reads).toHaveLength(2);
  });

  it('refuses a transport without history', async () => {
    const platform = new KeepingPlatform();
    const bare: Transport = {
      name: 'bare',
      platform: 'test',
      capabilities: platform.capabilities,
      start: async () => {},
      stop: async () => {},
      identities: () => [],
      send: async () => ({ id: 'x' }),
      edit: async () => {},
    };
    await expect(new PlatformHistory().read(bare, platform.post('x'), { limit: 1 })).rejects.toThrow(
      /keeps no history/,
    );
  });
});
