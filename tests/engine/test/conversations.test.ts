import { createLogger, MemoryStore, StoreNamespaces } from '@confab/core';
import { describe, expect, it } from 'vitest';
import { startBot } from './helpers.js';

const perRoom = { name: 'ada', backend: 'scripted', profile: 'default', system: 'S', scope: 'per-room' };
const perUser = { ...perRoom, scope: 'per-user' };

function contents(messages: readonly { role: string; content: string }[] | undefined) {
  return messages?.map((m) => `${m.role}:${m.content}`);
}

describe('conversations', () => {
  it('per-user scope: each person has their own context with the same system prompt', async () => {
    const { transport, backend } = await startBot({ config: { mates: [perUser] } });
    await transport.inject({ text: '@ada one', from: 'u:alice' });
    await transport.inject({ text: '@ada two', from: 'u:bob' });
    await transport.inject({ text: '@ada three', from: 'u:alice' });
    expect(contents(backend.calls[1]?.messages)).toEqual(['user:two']);
    expect(contents(backend.calls[2]?.messages)).toEqual([
      'user:one',
      'assistant:You said: one',
      'user:three',
    ]);
    expect(backend.calls.every((c) => c.system === 'S')).toBe(true);
  });

  it('per-room scope: everyone shares the context, with speaker names', async () => {
    const { transport, backend } = await startBot({ config: { mates: [perRoom] } });
    await transport.inject({ text: '@ada one', from: 'u:alice', fromName: 'Alice' });
    await transport.inject({ text: '@ada two', from: 'u:bob', fromName: 'Bob' });
    expect(backend.calls[1]?.messages).toEqual([
      { role: 'user', content: 'one', name: 'Alice' },
      { role: 'assistant', content: 'You said: one' },
      { role: 'user', content: 'two', name: 'Bob' },
    ]);
  });

  it('rooms and threads are separate conversations', async () => {
    const { transport, backend } = await startBot({ config: { mates: [perRoom] } });
    await transport.inject({ text: '@ada in room', roomId: 'r1' });
    await transport.inject({ text: '@ada in thread', roomId: 'r1', threadId: 't1' });
    await transport.inject({ text: '@ada other room', roomId: 'r2' });
    expect(backend.calls.map((c) => c.messages.length)).toEqual([1, 1, 1]);
  });

  it('history comes from the platform when the transport keeps it, and confab stores no text', async () => {
    const { transport, backend, store } = await startBot({
      config: { mates: [perUser] },
      transport: { capabilities: { history: true } },
    });
    await transport.inject({ text: '@ada one' });
    await transport.inject({ text: 'unrelated chatter', from: 'u:zed' });
    await transport.inject({ text: '@ada two' });
    // Earlier messages come without their address to the mate, as the current one does.
    expect(contents(backend.calls[1]?.messages)).toEqual(['user:one', 'assistant:You said: one', 'user:two']);
    expect(await store.list('history')).toEqual([]);
  });

  it("platform history keeps addresses to other mates: only the mate's own is taken off", async () => {
    const bob = { ...perRoom, name: 'bob' };
    const { transport, backend } = await startBot({
      config: { mates: [perRoom, bob] },
      transport: { mates: ['ada', 'bob'], capabilities: { history: true } },
    });
    await transport.inject({ text: 'ada: one', from: 'u:alice', fromName: 'Alice' });
    await transport.inject({ text: 'bob: what do you think?', from: 'u:alice', fromName: 'Alice' });
    await transport.inject({ text: '@ada two', from: 'u:alice', fromName: 'Alice' });
    expect(contents(backend.calls.at(-1)?.messages)).toEqual([
      'user:one',
      'assistant:You said: one',
      'user:bob: what do you think?',
      'user:You said: what do you think?',
      'user:two',
    ]);
  });

  it('history is trimmed to the context budget by the backend token count, newest kept', async () => {
    const { transport, backend } = await startBot({
      config: { mates: [{ ...perUser, sampling: { maxTokens: 10 } }] },
      profiles: { default: { contextTokens: 30 } },
    });
    for (let i = 0; i < 6; i++) await transport.inject({ text: `@ada message number ${i}` });
    const last = backend.calls.at(-1);
    // System "S" (1 word) + per message words+1; the budget is 30 - 10 = 20 tokens.
    expect(last?.maxPromptTokens).toBe(20);
    expect(backend.promptTokens('S', last?.messages ?? [])).toBeLessThanOrEqual(20);
    expect(last?.messages.at(-1)?.content).toBe('message number 5');
    expect(last?.messages.length).toBeLessThan(11);
    expect(last?.messages.length).toBeGreaterThan(1);
  });

  it('!reset starts a new context for this conversation only', async () => {
    const { transport, backend } = await startBot({ config: { mates: [perUser] } });
    await transport.inject({ text: '@ada one', from: 'u:alice' });
    await transport.inject({ text: '@ada hello', from: 'u:bob' });
    await transport.inject({ text: '!reset', from: 'u:alice' });
    await transport.inject({ text: '@ada two', from: 'u:alice' });
    await transport.inject({ text: '@ada again', from: 'u:bob' });
    expect(contents(backend.calls[2]?.messages)).toEqual(['user:two']);
    expect(contents(backend.calls[3]?.messages)).toEqual([
      'user:hello',
      'assistant:You said: hello',
      'user:again',
    ]);
  });

  it('!save and !rollback return to a saved point, shareable within the room', async () => {
    const { transport, backend } = await startBot({ config: { mates: [perUser] } });
    await transport.inject({ text: '@ada alpha', from: 'u:alice' });
    await transport.inject({ text: '!save start', from: 'u:alice' });
    await transport.inject({ text: '@ada beta', from: 'u:alice' });
    await transport.inject({ text: '!rollback start', from: 'u:alice' });
    await transport.inject({ text: '@ada gamma', from: 'u:alice' });
    expect(contents(backend.calls.at(-1)?.messages)).toEqual([
      'user:alpha',
      'assistant:You said: alpha',
      'user:gamma',
    ]);
    // Bob loads Alice's snapshot into his own conversation.
    await transport.inject({ text: '!rollback start', from: 'u:bob' });
    await transport.inject({ text: '@ada delta', from: 'u:bob' });
    expect(contents(backend.calls.at(-1)?.messages)).toEqual([
      'user:alpha',
      'assistant:You said: alpha',
      'user:delta',
    ]);
    await transport.inject({ text: '!snapshots', from: 'u:bob' });
    expect(transport.botMessages().at(-1)?.text).toMatch(/^Snapshots:\nstart — ada, saved by u:alice/);
  });
});

describe('context budget on small models', () => {
  it('reserves at most half the context for the reply, so history still fits', async () => {
    const { transport, backend } = await startBot({
      config: { mates: [{ name: 'ada', backend: 'scripted', profile: 'default', system: 'S' }] },
      profiles: { default: { contextTokens: 40 } },
    });
    for (let i = 0; i < 4; i++) await transport.inject({ text: `@ada message number ${i}` });
    const messages = backend.calls.at(-1)?.messages ?? [];
    expect(messages.length).toBeGreaterThan(1);
    // 40 tokens, of which the default reply reserve (512) may take only half.
    expect(backend.calls.at(-1)?.maxPromptTokens).toBe(20);
    expect(backend.promptTokens('S', messages)).toBeLessThanOrEqual(20);
  });
});

describe('stored history', () => {
  it('a history write that fails is logged with its conversation, and the answer still goes out', async () => {
    class FailingHistoryStore extends MemoryStore {
      override async put<T>(namespace: string, key: string, value: T): Promise<void> {
        if (namespace === StoreNamespaces.history) throw new Error('disk full');
        return super.put(namespace, key, value);
      }
    }
    const lines: { msg: string; conversation?: string; err?: { message: string } }[] = [];
    const logger = createLogger({ destination: { write: (line: string) => lines.push(JSON.parse(line)) } });
    const { transport } = await startBot({ store: new FailingHistoryStore(), bot: { logger } });
    await transport.inject({ id: 'm1', text: '@ada hi', from: 'u:a', roomId: 'r1' });
    expect(transport.botMessages('r1').map((m) => m.text)).toEqual(['You said: hi']);
    const failed = lines.filter((line) => line.msg === 'history: message not stored');
    // The question's write and the reply's.
    expect(failed).toHaveLength(2);
    expect(failed[0]?.err?.message).toBe('disk full');
    expect(failed[0]?.conversation).toContain('r1');
  });
});
