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
    await expect(transport.fetchHistory(target, { limit: 5 })).rejects.toThrow('history is disabled');
  });

  it('serves history oldest first, limited and after a timestamp', async () => {
    const transport = new MemoryTransport({ capabilities: { history: true } });
    await transport.start(async () => {});
    const first = await transport.inject({ text: 'one' });
    await transport.inject({ text: 'two' });
    await transport.inject({ text: 'three' });
    expect((await transport.fetchHistory(target, { limit: 2 })).map((m) => m.text)).toEqual(['two', 'three']);
    expect(
      (await transport.fetchHistory(target, { limit: 10, after: { timestamp: first.timestamp } })).map(
        (m) => m.text,
      ),
    ).toEqual(['two', 'three']);
  });
});
