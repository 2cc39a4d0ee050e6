import type { StreamPart } from '@confab/core';
import { describe, expect, it } from 'vitest';
import { ScriptedBackend } from '../src/index.js';

async function collect(backend: ScriptedBackend, text: string, signal = new AbortController().signal) {
  const parts: StreamPart[] = [];
  for await (const part of backend.generate({
    profile: 'default',
    system: 'sys',
    messages: [{ role: 'user', content: text }],
    maxPromptTokens: 1000,
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

  it('counts whitespace-separated words as tokens and streams a word with its following space per part', async () => {
    const spaced = new ScriptedBackend('w', { default: { reply: '{text}' } });
    const text = ' a\tbb\u00a0 c\n\nd\u3000e  ';
    const parts = await collect(spaced, text);
    const deltas = parts.flatMap((p) => (p.type === 'text-delta' ? [p.text] : []));
    expect(deltas).toEqual([' ', 'a\t', 'bb\u00a0 ', 'c\n\n', 'd\u3000', 'e  ']);
    expect(deltas.join('')).toBe(text);
    // system "sys" (1) + 5 words + 1 per message
    expect(parts.at(-1)).toMatchObject({ usage: { inputTokens: 7, outputTokens: 6 } });
    expect(spaced.promptTokens('', [{ role: 'user', content: '   ' }])).toBe(1);
  });

  it('drops the oldest messages until its word count fits maxPromptTokens, never the last', async () => {
    const trimming = new ScriptedBackend('t', { default: { reply: '{count}' } });
    const messages = ['one two three', 'four five', 'six seven eight', 'nine'].map((content) => ({
      role: 'user' as const,
      content,
    }));
    const ask = async (maxPromptTokens: number) => {
      const parts: StreamPart[] = [];
      for await (const part of trimming.generate({
        profile: 'default',
        system: 'sys',
        messages,
        maxPromptTokens,
        sampling: {},
        signal: new AbortController().signal,
      })) {
        parts.push(part);
      }
      return { parts, call: trimming.calls.at(-1) };
    };
    // sys (1) + (3+1) + (2+1) + (3+1) + (1+1) = 14 tokens: it fits as it is.
    const whole = await ask(14);
    expect(whole.call?.messages).toBe(messages);
    expect(whole.parts.at(-1)).toMatchObject({ usage: { inputTokens: 14 } });
    // 1 + (3+1) + (1+1) = 7 fits 8; adding "four five" would make 10.
    const trimmed = await ask(8);
    expect(trimmed.call?.messages).toEqual(messages.slice(2));
    expect(trimmed.call?.maxPromptTokens).toBe(8);
    expect(trimmed.parts.filter((p) => p.type === 'text-delta').map((p) => p.text)).toEqual(['2']);
    expect(trimmed.parts.at(-1)).toMatchObject({ usage: { inputTokens: 7 } });
    // Too small even for the last message alone: it is still sent.
    expect((await ask(1)).call?.messages).toEqual(messages.slice(3));
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

  it('keeps every request, or a bounded number of the latest with `retain`', async () => {
    const all = new ScriptedBackend('s', { default: {} });
    const bounded = new ScriptedBackend('s', { default: {} }, { retain: 2 });
    for (let i = 1; i <= 7; i++) {
      await collect(all, `m${i}`);
      await collect(bounded, `m${i}`);
    }
    const texts = (b: ScriptedBackend) => b.calls.map((c) => c.messages[0]?.content);
    expect(texts(all)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
    // Trimmed back to `retain` once past twice that: never fewer than the latest 2.
    expect(texts(bounded)).toEqual(['m4', 'm5', 'm6', 'm7']);
  });
});
