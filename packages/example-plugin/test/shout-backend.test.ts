import {
  type Backend,
  createSilentLogger,
  isPluginDefinition,
  type PluginInstanceInfo,
  type StreamPart,
  Tokens,
} from '@confab/core';
import { container as rootContainer } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import shoutPlugin from '../src/index.js';

/** Wires the plugin the way the bot does: a child container with its section and name. */
function resolveBackend(section: unknown): Backend {
  const child = rootContainer.createChildContainer();
  const config = shoutPlugin.configSchema.parse(section);
  const instance: PluginInstanceInfo = {
    name: 'loud',
    kind: 'backend',
    specifier: '@confab/example-plugin',
    configDir: process.cwd(),
  };
  child.register(Tokens.PluginConfig, { useValue: config });
  child.register(Tokens.PluginInstance, { useValue: instance });
  child.register(Tokens.Logger, { useValue: createSilentLogger() });
  shoutPlugin.register(child, config);
  return child.resolve<Backend>(Tokens.Backend);
}

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

function request(text: string, profile = 'default', signal = new AbortController().signal) {
  return {
    profile,
    system: '',
    messages: [{ role: 'user' as const, content: text }],
    maxPromptTokens: 100_000,
    sampling: {},
    signal,
  };
}

describe('the example plugin', () => {
  it('is a backend plugin whose schema rejects unknown keys', () => {
    expect(isPluginDefinition(shoutPlugin)).toBe(true);
    expect(shoutPlugin.kind).toBe('backend');
    expect(shoutPlugin.configSchema.safeParse({ profiles: { default: { sufix: '?' } } }).success).toBe(false);
  });

  it('resolves one backend per container, named after the config entry', () => {
    const backend = resolveBackend({ profiles: { default: {}, polite: { suffix: ', please.' } } });
    expect(backend.name).toBe('loud');
    expect(backend.profiles()).toEqual(['default', 'polite']);
  });

  it('streams the last message in capitals, word by word, then finishes', async () => {
    const backend = resolveBackend({ profiles: { default: {}, polite: { suffix: ', please.' } } });
    const parts = await collect(backend.generate(request('hello there')));
    expect(parts).toEqual([
      { type: 'stream-start', warnings: [] },
      { type: 'text-delta', text: 'HELLO ' },
      { type: 'text-delta', text: 'THERE!' },
      { type: 'finish', reason: 'stop', usage: { inputTokens: 1, outputTokens: 2 } },
    ]);
    const polite = await collect(backend.generate(request('sit', 'polite')));
    const text = polite.map((p) => (p.type === 'text-delta' ? p.text : '')).join('');
    expect(text).toBe('SIT, please.');
  });

  it('reports an unknown profile as an error part and stops when aborted', async () => {
    const backend = resolveBackend({ profiles: { default: { wordDelayMs: 5 } } });
    const [error] = await collect(backend.generate(request('x', 'nope')));
    expect(error).toMatchObject({ type: 'error', error: { kind: 'bad-request' } });

    const abort = new AbortController();
    abort.abort();
    const aborted = await collect(backend.generate(request('one two three', 'default', abort.signal)));
    expect(aborted.at(-1)).toMatchObject({ type: 'finish', reason: 'aborted' });
  });
});
