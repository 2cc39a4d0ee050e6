import { inject, injectable } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import {
  type Backend,
  Bot,
  type ChatMessage,
  definePlugin,
  type GenerateRequest,
  type InboundHandler,
  type OutboundTarget,
  parseConfig,
  type PluginInstanceInfo,
  type StreamPart,
  Tokens,
  type Transport,
  z,
} from '../../src/index.js';

/** A transport that records what it sends; `kind` tells the two test plugins apart. */
abstract class RecordingTransport implements Transport {
  abstract readonly kind: string;
  readonly platform = 'test';
  readonly capabilities = {
    maxMessageLength: 1000,
    edits: false,
    minEditIntervalMs: 0,
    threads: false,
    history: false,
    typing: false,
  };
  readonly sent: string[] = [];
  handler: InboundHandler | undefined;
  constructor(readonly name: string) {}
  async start(onMessage: InboundHandler) {
    this.handler = onMessage;
  }
  async stop() {}
  identities() {
    return [];
  }
  async send(_target: OutboundTarget, text: string) {
    this.sent.push(text);
    return { id: `out-${this.sent.length}` };
  }
  async edit() {}
}

@injectable()
class AlphaTransport extends RecordingTransport {
  readonly kind = 'alpha';
  constructor(@inject(Tokens.PluginInstance) instance: PluginInstanceInfo) {
    super(instance.name);
  }
}

@injectable()
class BetaTransport extends RecordingTransport {
  readonly kind = 'beta';
  constructor(@inject(Tokens.PluginInstance) instance: PluginInstanceInfo) {
    super(instance.name);
  }
}

/** A backend answering with a fixed word; the two test plugins differ in the word. */
abstract class WordBackend implements Backend {
  abstract readonly word: string;
  constructor(
    readonly name: string,
    private readonly profileNames: string[],
  ) {}
  profiles() {
    return this.profileNames;
  }
  capacity() {
    return { workers: 1, parallel: 1, contextTokens: 1000 };
  }
  async start() {}
  async stop() {}
  async *generate(request: GenerateRequest): AsyncIterable<StreamPart> {
    yield { type: 'stream-start', warnings: [] };
    yield { type: 'text-delta', text: `${this.word}: ${request.messages.at(-1)?.content}` };
    yield { type: 'finish', reason: 'stop', usage: { inputTokens: 1, outputTokens: 1 } };
  }
}

@injectable()
class UpperBackend extends WordBackend {
  readonly word = 'UPPER';
  constructor(
    @inject(Tokens.PluginInstance) instance: PluginInstanceInfo,
    @inject(Tokens.PluginConfig) config: { profiles: Record<string, unknown> },
  ) {
    super(instance.name, Object.keys(config.profiles));
  }
}

@injectable()
class LowerBackend extends WordBackend {
  readonly word = 'lower';
  constructor(
    @inject(Tokens.PluginInstance) instance: PluginInstanceInfo,
    @inject(Tokens.PluginConfig) config: { profiles: Record<string, unknown> },
  ) {
    super(instance.name, Object.keys(config.profiles));
  }
}

const transportSchema = z.object({}).strict();
const backendSchema = z.object({ profiles: z.record(z.object({}).strict()) }).strict();

const plugins: Record<string, unknown> = {
  'test-transport-alpha': definePlugin({
    name: 'test-transport-alpha',
    kind: 'transport',
    configSchema: transportSchema,
    register: (c) => c.register(Tokens.Transport, { useClass: AlphaTransport }),
  }),
  'test-transport-beta': definePlugin({
    name: 'test-transport-beta',
    kind: 'transport',
    configSchema: transportSchema,
    register: (c) => c.register(Tokens.Transport, { useClass: BetaTransport }),
  }),
  'test-backend-upper': definePlugin({
    name: 'test-backend-upper',
    kind: 'backend',
    configSchema: backendSchema,
    register: (c) => c.register(Tokens.Backend, { useClass: UpperBackend }),
  }),
  'test-backend-lower': definePlugin({
    name: 'test-backend-lower',
    kind: 'backend',
    configSchema: backendSchema,
    register: (c) => c.register(Tokens.Backend, { useClass: LowerBackend }),
  }),
};

const importPlugin = async (specifier: string) => ({ default: plugins[specifier] });

function configText(transport: string, backend: string): string {
  return `
transports:
  - name: chat
    plugin: ${transport}
backends:
  - name: brain
    plugin: ${backend}
    profiles:
      default: {}
mates:
  - name: ada
    backend: brain
    profile: default
store:
  path: ":memory:"
`;
}

async function run(transport: string, backend: string) {
  const loaded = await parseConfig(configText(transport, backend), 'swap.yaml', {
    importPlugin,
    dotenv: false,
    env: {},
  });
  const bot = Bot.create(loaded);
  await bot.start();
  const chat = bot.transports.require('chat') as RecordingTransport;
  const message: ChatMessage = {
    id: 'in-1',
    platform: 'test',
    transport: 'chat',
    roomId: 'dm',
    isDirect: true,
    sender: { id: 'u1', name: 'u1', isBot: false },
    text: 'hello',
    mentions: [],
    timestamp: Date.now(),
  };
  await chat.handler?.(message);
  await bot.stop(100);
  return { kind: chat.kind, backendClass: bot.backends.require('brain').constructor.name, sent: chat.sent };
}

describe('swapping plugins purely from config', () => {
  it.each([
    ['test-transport-alpha', 'test-backend-upper', 'alpha', 'UpperBackend', 'UPPER: hello'],
    ['test-transport-alpha', 'test-backend-lower', 'alpha', 'LowerBackend', 'lower: hello'],
    ['test-transport-beta', 'test-backend-upper', 'beta', 'UpperBackend', 'UPPER: hello'],
    ['test-transport-beta', 'test-backend-lower', 'beta', 'LowerBackend', 'lower: hello'],
  ])('%s + %s', async (transport, backend, kind, backendClass, reply) => {
    const result = await run(transport, backend);
    expect(result).toEqual({ kind, backendClass, sent: [reply] });
  });
});
