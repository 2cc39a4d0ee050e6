import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Backend,
  type BackendCapacity,
  type GenerateRequest,
  type Logger,
  type PluginInstanceInfo,
  type StreamPart,
  Tokens,
} from '@confab/core';
import { inject, injectable } from 'tsyringe';
import type { ShoutConfig, ShoutProfile } from './config.js';

/**
 * A backend that answers with the last message in capitals, word by word. It needs no model,
 * so it shows the whole Backend contract in a few lines: profiles, capacity, a stream of parts
 * that ends in `finish` (or `error`), and cancellation through the request's signal.
 */
@injectable()
export class ShoutBackend implements Backend {
  readonly name: string;

  // Every parameter names its token: esbuild-based tools emit no decorator metadata.
  constructor(
    @inject(Tokens.PluginConfig) private readonly config: ShoutConfig,
    @inject(Tokens.PluginInstance) instance: PluginInstanceInfo,
    @inject(Tokens.Logger) private readonly logger: Logger,
  ) {
    this.name = instance.name;
  }

  profiles(): readonly string[] {
    return Object.keys(this.config.profiles);
  }

  capacity(): BackendCapacity {
    return { workers: 1, parallel: 8, contextTokens: 100_000 };
  }

  async start(): Promise<void> {
    this.logger.info({ profiles: this.profiles() }, 'ready to shout');
  }

  async stop(): Promise<void> {}

  async *generate(request: GenerateRequest): AsyncIterable<StreamPart> {
    const profile: ShoutProfile | undefined = this.config.profiles[request.profile];
    if (!profile) {
      // Errors are parts of the stream, not exceptions: the engine turns them into a reply.
      yield { type: 'error', error: { kind: 'bad-request', message: `no profile '${request.profile}'` } };
      return;
    }
    yield { type: 'stream-start', warnings: [] };
    const last = request.messages.at(-1)?.content ?? '';
    const words = `${last.toUpperCase()}${profile.suffix}`.split(/(?<=\s)/);
    let sent = 0;
    for (const word of words) {
      if (request.signal.aborted) {
        yield { type: 'finish', reason: 'aborted', usage: { inputTokens: 1, outputTokens: sent } };
        return;
      }
      if (profile.wordDelayMs > 0) await sleep(profile.wordDelayMs);
      yield { type: 'text-delta', text: word };
      sent++;
    }
    yield {
      type: 'finish',
      reason: 'stop',
      usage: { inputTokens: request.messages.length, outputTokens: sent },
    };
  }
}
