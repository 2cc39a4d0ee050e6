import type { ChatMessage } from '@confab/core';
import { describe, expect, it } from 'vitest';
import { MemoryTransport } from '../src/index.js';

const target = { transport: 'memory', roomId: 'room', isDirect: false, mate: 'ada' };

describe('MemoryTransport', () => {
  it('delivers injected messages and echoes the bots own messages back, as platforms do', async () => {
    const transport = new MemoryTransport({ mates: ['ada'] });
    const seen: ChatMessage[] = [];
    await transport.start(async (m) => {
      seen.push(m);
    });
    const inbound = await transport.inject({ text: 'hi', from: 'u:alice' });
    const { id } = await transport.send({ ...target, replyTo: inbound.id }, 'hello');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen.map((m) => [m.sender.id, m.text])).toEqual([
      ['u:alice', 'hi'],
      ['bot:ada', 'hello'],
    ]);
    expect(seen[1]?.replyTo).toEqual({ messageId: inbound.id, senderId: 'u:alice' });
    expect(transport.identities()).toEqual([{ mate: 'ada', userId: 'bot:ada', displayName: 'ada' }]);
    await transport.edit(target, id, 'hello there');
    expect(transport.botMessages()[0]?.revisions).toEqual(['hello', 'hello there']);
  });

  it('enforces its declared limits', async () => {
    const transport = new MemoryTransport({ capabilities: { maxMessageLength: 5, edits: false } });
    await expect(transport.send(target, 'too long')).rejects.toThrow('8 characters exceed the limit of 5');
    const { id } = await transport.send(target, 'ok');
    await expect(transport.edit(target, id, 'no')).rejects.toThrow('edits are disabled');
  });

  it('offers history and typing only when the pretend platform has them', () => {
    expect(new MemoryTransport().fetchHistory).toBeUndefined();
    expect(new MemoryTransport().typing).toBeTypeOf('function');
    expect(new MemoryTransport({ history: true }).fetchHistory).toBeTypeOf('function');
    expect(new MemoryTransport({ typing: false }).typing).toBeUndefined();
  });

  it('serves history oldest first, limited and after a timestamp, and counts the reads', async () => {
    const transport = new MemoryTransport({ history: true });
    const read = transport.fetchHistory as NonNullable<MemoryTransport['fetchHistory']>;
    await transport.start(async () => {});
    const first = await transport.inject({ text: 'one' });
    await transport.inject({ text: 'two' });
    const third = await transport.inject({ text: 'three' });
    expect((await read(third, { limit: 2 })).map((m) => m.text)).toEqual(['two', 'three']);
    expect(
      (await read(third, { limit: 10, after: { timestamp: first.timestamp } })).map((m) => m.text),
    ).toEqual(['two', 'three']);
    expect(transport.historyReads.map((r) => [r.location.roomId, r.query.limit])).toEqual([
      ['room', 2],
      ['room', 10],
    ]);
  });

  it('puts an undelivered message in the history only, and reports a gap as a new history epoch', async () => {
    const transport = new MemoryTransport({ history: true });
    const seen: string[] = [];
    await transport.start(async (m) => {
      seen.push(m.text);
    });
    const epoch = transport.historyEpoch(target);
    await transport.inject({ text: 'while away', deliver: false });
    transport.reportGap();
    const back = await transport.inject({ text: 'back' });
    expect(seen).toEqual(['back']);
    expect(transport.historyEpoch(target)).not.toBe(epoch);
    expect((await transport.fetchHistory?.(back, { limit: 5 }))?.map((m) => m.text)).toEqual([
      'while away',
      'back',
    ]);
  });

  it('knows room admins by the sender of a message', async () => {
    const transport = new MemoryTransport({ admins: ['u:root'] });
    const fromRoot = await transport.inject({ text: '!stop', from: 'u:root' });
    const fromAlice = await transport.inject({ text: '!stop', from: 'u:alice' });
    expect(await transport.isRoomAdmin(fromRoot)).toBe(true);
    expect(await transport.isRoomAdmin(fromAlice)).toBe(false);
  });
});
