import type { StreamPart } from '@confab/core';
import { describe, expect, it } from 'vitest';
import { ScriptedBackend } from '../src/index.js';

async function collect(backend: ScriptedBackend, text: string, signal = new AbortController().signal) {
  const parts: StreamPart[] = [];
  for await (const part of backend.generate({
    profile: 'default',
    system: 'sys',
    messages: [{ role: 'user', content: text }],
    sampling: {},
    signal,
  })) {
    parts.push(part);
  }
  return parts;
}

describe('ScriptedBackend', () => {
  const backend = new ScriptedBackend('s', {
    default: {
      rules: [
        { match: '^ping', reply: 'pong {count}' },
        { match: 'down', fail: 'unavailable' },
      ],
    },
  });

  it('answers from the first matching rule, streaming word by word, then finishes with usage', async () => {
    const parts = await collect(backend, 'ping me');
    expect(parts).toEqual([
      { type: 'stream-start', warnings: [] },
      { type: 'text-delta', text: 'pong ' },
      { type: 'text-delta', text: '1' },
      { type: 'finish', reason: 'stop', usage: { inputTokens: 4, outputTokens: 2 } },
    ]);
  });

  it('falls back to the default reply and reports failures as error parts', async () => {
    expect(
      (await collect(backend, 'hello')).filter((p) => p.type === 'text-delta').map((p) => p.text),
    ).toEqual(['You ', 'said: ', 'hello']);
    expect((await collect(backend, 'server down')).at(-1)).toEqual({
      type: 'error',
      error: { kind: 'unavailable', message: 'scripted failure (unavailable)' },
    });
  });

  it('stops at an abort with a finish part saying so', async () => {
    const slow = new ScriptedBackend('s', { default: { chunkDelayMs: 20, reply: 'a b c d e f' } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const parts = await collect(slow, 'x', controller.signal);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', reason: 'aborted' });
    expect(parts.filter((p) => p.type === 'text-delta').length).toBeLessThan(6);
  });
});
