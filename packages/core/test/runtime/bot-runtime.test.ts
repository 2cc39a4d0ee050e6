import { describe, expect, it } from 'vitest';
import { type Backend, Bot, ConfabError, definePlugin, parseConfig, Tokens, z } from '../../src/index.js';

const nothing = definePlugin({
  name: 'registers-nothing',
  kind: 'transport',
  configSchema: z.object({}).strict(),
  register() {},
});

const failingBackend = definePlugin({
  name: 'failing-backend',
  kind: 'backend',
  configSchema: z.object({ profiles: z.record(z.object({}).strict()) }).strict(),
  register(c) {
    const backend: Backend = {
      name: 'brain',
      profiles: () => ['default'],
      capacity: () => ({ workers: 1, parallel: 1, contextTokens: 100 }),
      start: async () => {
        throw new Error('model file ./models/x.gguf not found');
      },
      stop: async () => {},
      generate: async function* () {},
    };
    c.register(Tokens.Backend, { useValue: backend });
  },
});

const quietTransport = definePlugin({
  name: 'quiet-transport',
  kind: 'transport',
  configSchema: z.object({}).strict(),
  register(c) {
    c.register(Tokens.Transport, {
      useValue: {
        name: 'chat',
        platform: 'test',
        capabilities: {
          maxMessageLength: 100,
          edits: false,
          minEditIntervalMs: 0,
          threads: false,
          history: false,
          typing: false,
        },
        start: async () => {},
        stop: async () => {},
        identities: () => [],
        send: async () => ({ id: '1' }),
        edit: async () => {},
      },
    });
  },
});

const plugins: Record<string, unknown> = {
  'registers-nothing': nothing,
  'failing-backend': failingBackend,
  'quiet-transport': quietTransport,
};

function text(transport: string) {
  return `
transports:
  - name: chat
    plugin: ${transport}
backends:
  - name: brain
    plugin: failing-backend
    profiles: { default: {} }
mates:
  - { name: ada, backend: brain, profile: default }
store: { path: ":memory:" }
`;
}

async function load(transport: string) {
  return parseConfig(text(transport), 'bot.yaml', {
    importPlugin: async (s) => ({ default: plugins[s] }),
    dotenv: false,
    env: {},
  });
}

describe('Bot runtime errors name the plugin and what to do', () => {
  it('a plugin that registers nothing', async () => {
    const loaded = await load('registers-nothing');
    expect(() => Bot.create(loaded)).toThrow(
      new ConfabError(
        'plugin.nothing-registered',
        'plugin "registers-nothing" (transport "chat") registered no Transport',
      ),
    );
  });

  it('a backend that fails to start stops the bot with its message', async () => {
    const bot = Bot.create(await load('quiet-transport'));
    await expect(bot.start()).rejects.toThrow('backend "brain": model file ./models/x.gguf not found');
  });
});
