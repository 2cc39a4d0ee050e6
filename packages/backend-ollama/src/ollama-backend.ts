import {
  describeConnectionError,
  errorKindForStatus,
  hasUrlCredentials,
  type ServerChunk,
  ServerHealth,
  streamFromServer,
} from '@confab/backend-kit';
import {
  type Backend,
  type BackendCapacity,
  type BackendMessage,
  ConfabError,
  estimateTokens,
  type GenerateRequest,
  type Logger,
  type PluginInstanceInfo,
  type StreamPart,
  Tokens,
  trimToBudget,
  redactUrl,
} from '@confab/core';
import { type ChatResponse, type Message, Ollama, type ShowResponse } from 'ollama';
import { inject, injectable } from 'tsyringe';
import type { OllamaBackendConfig, OllamaProfile } from './config.js';
import { ollamaRequestOptions } from './request-options.js';

/** Ollama's own default context window, used when neither the profile nor the model says less. */
const OLLAMA_DEFAULT_CONTEXT = 4096;

/** Ollama's chat messages: the mate's system prompt first, then the conversation. */
function ollamaMessages(system: string, messages: readonly BackendMessage[]): Message[] {
  const out: Message[] = system ? [{ role: 'system', content: system }] : [];
  for (const message of messages) out.push({ role: message.role, content: message.content });
  return out;
}

/** Ollama's stream of chat responses as server chunks: content deltas, then the final counts. */
async function* chatChunks(stream: AsyncIterable<ChatResponse>): AsyncGenerator<ServerChunk> {
  for await (const response of stream) {
    if (response.message?.content) yield { type: 'text', text: response.message.content };
    if (response.done) {
      yield {
        type: 'finish',
        reason: response.done_reason === 'length' ? 'length' : 'stop',
        usage: { inputTokens: response.prompt_eval_count ?? 0, outputTokens: response.eval_count ?? 0 },
      };
      return;
    }
  }
}

/** A `fetch` whose requests also end when `signal` aborts, so a request is cancelled end to end. */
function fetchWithSignal(signal: AbortSignal): typeof fetch {
  return (input, init) =>
    fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
}

/** HTTP status of an error the `ollama` client threw for a server's answer. */
function statusOf(error: unknown): number | undefined {
  const status = (error as { status_code?: unknown } | null)?.status_code;
  return typeof status === 'number' ? status : undefined;
}

/** The model's trained context length from `show`, when it reports one. */
function modelContextLength(show: ShowResponse): number | undefined {
  const info = show.model_info as unknown as Record<string, unknown> | undefined;
  if (!info) return undefined;
  for (const [key, value] of Object.entries(info)) {
    if (key.endsWith('.context_length') && typeof value === 'number' && value > 0) return value;
  }
  return undefined;
}

/**
 * A backend for an Ollama server through the official `ollama` client: each profile is a model
 * on a server, with its own options and declared parallel capacity. Streaming, cancellation and
 * the reaction to a server that goes away come from `@confab/backend-kit` ({@link streamFromServer}
 * and {@link ServerHealth}); this class translates to and from Ollama's API.
 */
@injectable()
export class OllamaBackend implements Backend {
  readonly name: string;
  /** One health tracker per server: profiles on the same host go down and come back together. */
  private readonly health = new Map<string, ServerHealth>();
  /** Context length each profile's model reports, learnt at start. */
  private readonly modelContext = new Map<string, number>();

  constructor(
    @inject(Tokens.PluginConfig) private readonly config: OllamaBackendConfig,
    @inject(Tokens.PluginInstance) instance: PluginInstanceInfo,
    @inject(Tokens.Logger) private readonly logger: Logger,
  ) {
    this.name = instance.name;
    for (const [name, profile] of Object.entries(config.profiles)) {
      const host = this.hostOf(profile);
      if (hasUrlCredentials(host)) {
        // The client keeps them in every request URL, which Node's fetch refuses before
        // connecting: no server could ever answer, and the message must not repeat the password.
        const key = profile.host !== undefined ? `profiles.${name}.host` : 'host';
        throw new ConfabError(
          'backend.url-credentials',
          `backend '${this.name}': ${instance.section ? `${instance.section}.${key}` : key} (${redactUrl(host)}) has a user name or password in it, which cannot work: Ollama has no login, and Node's fetch refuses such URLs; remove them`,
        );
      }
      if (this.health.has(host)) continue;
      this.health.set(
        host,
        new ServerHealth({
          describe: `ollama '${this.name}' at ${host}`,
          logger,
          initialDelayMs: config.retry.initialDelayMs,
          maxDelayMs: config.retry.maxDelayMs,
          probe: () => new Ollama({ host }).version(),
        }),
      );
    }
  }

  profiles(): readonly string[] {
    return Object.keys(this.config.profiles);
  }

  capacity(profile: string): BackendCapacity {
    const p = this.profile(profile);
    const model = this.modelContext.get(profile);
    const contextTokens =
      p.contextTokens ??
      p.options.num_ctx ??
      Math.min(model ?? OLLAMA_DEFAULT_CONTEXT, OLLAMA_DEFAULT_CONTEXT);
    // One HTTP client per server; the server batches, so parallelism is per request, not per worker.
    return { workers: 1, parallel: p.parallel, contextTokens };
  }

  /** Checks that every server answers and has every profile's model (pulling it when `pull` is on). */
  async start(): Promise<void> {
    for (const host of this.health.keys()) {
      try {
        const { version } = await new Ollama({ host }).version();
        this.logger.info({ host, version }, `ollama '${this.name}': server answers`);
      } catch (error) {
        throw new ConfabError(
          'backend.unreachable',
          `backend '${this.name}': no Ollama server answers at ${host} (${describeConnectionError(error)}); start it (\`ollama serve\`) or set the backend's host`,
          { cause: error },
        );
      }
    }
    for (const [name, profile] of Object.entries(this.config.profiles)) {
      await this.ensureModel(name, profile);
    }
  }

  async stop(): Promise<void> {
    for (const health of this.health.values()) health.stop();
  }

  generate(request: GenerateRequest): AsyncIterable<StreamPart> {
    const profile = this.config.profiles[request.profile];
    if (!profile) return this.unknownProfile(request.profile);
    const host = this.hostOf(profile);
    const { options, keepAlive } = ollamaRequestOptions(profile.options, request.sampling);
    const { system, maxPromptTokens } = request;
    return streamFromServer({
      health: this.health.get(host) as ServerHealth,
      signal: request.signal,
      warnings: [],
      describe: `ollama '${this.name}' profile '${request.profile}' (model ${profile.model} at ${host})`,
      logger: this.logger,
      classify: (error) => errorKindForStatus(statusOf(error)),
      open: async (signal) => {
        // The server tokenizes only what it is sent: the budget is met by estimate.
        const kept = await trimToBudget(request.messages, maxPromptTokens, (m) => estimateTokens(system, m));
        const messages = ollamaMessages(system, kept);
        // A client per request: its fetch carries this request's signal, so cancelling aborts
        // the HTTP request even before the first chunk (the client's own abort() cannot yet).
        const client = new Ollama({ host, fetch: fetchWithSignal(signal) });
        const stream = await client.chat({
          model: profile.model,
          messages,
          stream: true,
          options,
          ...(keepAlive === undefined ? {} : { keep_alive: keepAlive }),
        });
        return chatChunks(stream);
      },
    });
  }

  private async ensureModel(name: string, profile: OllamaProfile): Promise<void> {
    const host = this.hostOf(profile);
    const client = new Ollama({ host });
    const where = `backend '${this.name}' profile '${name}'`;
    let show: ShowResponse;
    try {
      show = await client.show({ model: profile.model });
    } catch (error) {
      if (statusOf(error) !== 404) {
        throw new ConfabError(
          'backend.model-check',
          `${where}: could not look up model '${profile.model}' on ${host}: ${describeConnectionError(error)}`,
          { cause: error },
        );
      }
      if (!this.config.pull) {
        throw new ConfabError(
          'backend.model-missing',
          `${where}: model '${profile.model}' is not on the Ollama server at ${host}; add it there (\`ollama pull ${profile.model}\`, or \`ollama create ${profile.model} -f Modelfile\` for a GGUF file), or set \`pull: true\` on backend '${this.name}' to pull it at start`,
        );
      }
      await this.pull(where, client, profile.model, host);
      show = await client.show({ model: profile.model });
    }
    const context = modelContextLength(show);
    if (context !== undefined) this.modelContext.set(name, context);
  }

  /** Pulls a model, logging progress at every tenth of each layer and each new status. */
  private async pull(where: string, client: Ollama, model: string, host: string): Promise<void> {
    this.logger.info({ model, host }, `${where}: pulling model '${model}'`);
    let lastStatus = '';
    let lastTenth = -1;
    try {
      for await (const progress of await client.pull({ model, stream: true })) {
        const tenth = progress.total ? Math.floor((progress.completed / progress.total) * 10) : -1;
        if (progress.status !== lastStatus || tenth > lastTenth) {
          const percent = tenth >= 0 ? Math.round((progress.completed / progress.total) * 100) : undefined;
          this.logger.info({ model, status: progress.status, percent }, `${where}: pull ${progress.status}`);
          lastTenth = progress.status !== lastStatus ? tenth : Math.max(lastTenth, tenth);
          lastStatus = progress.status;
        }
      }
    } catch (error) {
      throw new ConfabError(
        'backend.pull-failed',
        `${where}: pulling model '${model}' on ${host} failed: ${describeConnectionError(error)}; check the model name and the server's internet access, or add the model to the server yourself`,
        { cause: error },
      );
    }
  }

  private profile(name: string): OllamaProfile {
    const profile = this.config.profiles[name];
    if (!profile) {
      throw new ConfabError('backend.unknown-profile', `backend '${this.name}' has no profile '${name}'`);
    }
    return profile;
  }

  private hostOf(profile: OllamaProfile): string {
    return profile.host ?? this.config.host;
  }

  private async *unknownProfile(profile: string): AsyncGenerator<StreamPart> {
    yield {
      type: 'error',
      error: { kind: 'bad-request', message: `backend '${this.name}' has no profile '${profile}'` },
    };
  }
}
