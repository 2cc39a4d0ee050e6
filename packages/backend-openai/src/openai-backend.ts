import {
  describeConnectionError,
  errorKindForStatus,
  hasUrlCredentials,
  isConnectionError,
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
import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { inject, injectable } from 'tsyringe';
import type { OpenAIBackendConfig, OpenAIProfile } from './config.js';
import { openaiRequestOptions } from './request-options.js';

/** Servers such as vLLM or Ollama's `/v1` take any key; the client insists on one. */
const NO_KEY = 'none';

/** The profile's server: its own, else the backend's, else `$OPENAI_BASE_URL`. */
function baseURLOf(profile: OpenAIProfile, config: OpenAIBackendConfig): string | undefined {
  return profile.baseURL ?? config.baseURL ?? process.env.OPENAI_BASE_URL;
}

/** Where {@link baseURLOf} took the profile's server from, for a message: a config path or the variable. */
function baseURLSource(
  name: string,
  profile: OpenAIProfile,
  config: OpenAIBackendConfig,
  section?: string,
): string {
  const at = (key: string) => (section ? `${section}.${key}` : key);
  if (profile.baseURL !== undefined) return at(`profiles.${name}.baseURL`);
  return config.baseURL !== undefined ? at('baseURL') : 'OPENAI_BASE_URL';
}

/** The profile's key: its own, else the backend's, else `$OPENAI_API_KEY`; empty means none. */
function apiKeyOf(profile: OpenAIProfile, config: OpenAIBackendConfig): string {
  return profile.apiKey || config.apiKey || process.env.OPENAI_API_KEY || NO_KEY;
}

/** The mate's system prompt first, then the conversation. */
function chatMessages(system: string, messages: readonly BackendMessage[]): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = system ? [{ role: 'system', content: system }] : [];
  for (const message of messages) out.push({ role: message.role, content: message.content });
  return out;
}

/**
 * Chat-completion chunks as server chunks. `finish_reason` arrives before the usage chunk
 * (`stream_options.include_usage`), so the finish is sent when the stream ends; a stream that
 * ends without a `finish_reason` was cut off and yields no finish.
 */
async function* completionChunks(stream: AsyncIterable<ChatCompletionChunk>): AsyncGenerator<ServerChunk> {
  let reason: string | undefined;
  let usage: { inputTokens: number; outputTokens: number } | undefined;
  for await (const chunk of stream) {
    const choice = chunk.choices[0];
    if (choice?.delta?.content) yield { type: 'text', text: choice.delta.content };
    if (choice?.finish_reason) reason = choice.finish_reason;
    if (chunk.usage)
      usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens };
  }
  if (reason !== undefined) {
    yield { type: 'finish', reason: reason === 'length' ? 'length' : 'stop', ...(usage ? { usage } : {}) };
  }
}

function statusOf(error: unknown): number | undefined {
  return error instanceof OpenAI.APIError && typeof error.status === 'number' ? error.status : undefined;
}

/** One server: its URL, key and client, and whether it is reachable. */
interface Server {
  readonly baseURL: string;
  readonly apiKey: string;
  readonly health: ServerHealth;
}

/**
 * A backend for any OpenAI-compatible chat-completions server (vLLM, LM Studio, llama.cpp's
 * server, Ollama's `/v1`, OpenAI) through the official `openai` client. Streaming,
 * cancellation and the reaction to a server that goes away come from `@confab/backend-kit`
 * ({@link streamFromServer} and {@link ServerHealth}); this class translates. The API key is
 * never logged.
 */
@injectable()
export class OpenAIBackend implements Backend {
  readonly name: string;
  private readonly servers = new Map<string, Server>();

  constructor(
    @inject(Tokens.PluginConfig) private readonly config: OpenAIBackendConfig,
    @inject(Tokens.PluginInstance) instance: PluginInstanceInfo,
    @inject(Tokens.Logger) private readonly logger: Logger,
  ) {
    this.name = instance.name;
    for (const [name, profile] of Object.entries(config.profiles)) {
      const baseURL = baseURLOf(profile, config);
      if (!baseURL) {
        throw new ConfabError(
          'config.invalid',
          `backend '${this.name}' profile '${name}': no server URL; set baseURL (e.g. http://127.0.0.1:11434/v1) on the backend or the profile, or OPENAI_BASE_URL`,
        );
      }
      if (hasUrlCredentials(baseURL)) {
        // Node's fetch, which the client uses, refuses such a URL before connecting; saying so
        // beats "no server answers", and the message must not repeat the password.
        throw new ConfabError(
          'backend.url-credentials',
          `backend '${this.name}': ${baseURLSource(name, profile, config, instance.section)} (${redactUrl(baseURL)}) has a user name or password in it, which cannot be sent: Node's fetch refuses such URLs; remove them, and give a key as apiKey`,
        );
      }
      const apiKey = apiKeyOf(profile, config);
      const key = `${baseURL}\n${apiKey}`;
      if (this.servers.has(key)) continue;
      this.servers.set(key, {
        baseURL,
        apiKey,
        health: new ServerHealth({
          describe: `openai '${this.name}' at ${baseURL}`,
          logger,
          initialDelayMs: config.retry.initialDelayMs,
          maxDelayMs: config.retry.maxDelayMs,
          probe: () => this.reachable(baseURL, apiKey),
        }),
      });
    }
  }

  profiles(): readonly string[] {
    return Object.keys(this.config.profiles);
  }

  capacity(profile: string): BackendCapacity {
    const p = this.profile(profile);
    return { workers: 1, parallel: p.parallel, contextTokens: p.contextTokens };
  }

  /** Checks that every server answers and (with `checkModels`) lists every profile's model. */
  async start(): Promise<void> {
    const models = new Map<Server, Set<string>>();
    for (const server of this.servers.values()) {
      try {
        const ids = new Set<string>();
        for await (const model of this.client(server.baseURL, server.apiKey).models.list()) ids.add(model.id);
        models.set(server, ids);
        this.logger.info(
          { baseURL: server.baseURL, models: ids.size },
          `openai '${this.name}': server answers`,
        );
      } catch (error) {
        const status = statusOf(error);
        if (status === 401 || status === 403) {
          throw new ConfabError(
            'backend.unauthorized',
            `backend '${this.name}': the server at ${server.baseURL} refused the API key (HTTP ${status}); set apiKey (e.g. apiKey: \${OPENAI_API_KEY}) to a valid key`,
          );
        }
        if (isConnectionError(error) || status === undefined) {
          throw new ConfabError(
            'backend.unreachable',
            `backend '${this.name}': no server answers at ${server.baseURL} (${describeConnectionError(error)}); start it or set baseURL`,
            { cause: error },
          );
        }
        // The server answers but has no model list (some do not implement GET /models).
        this.logger.warn(
          { baseURL: server.baseURL, status },
          `openai '${this.name}': the server does not list its models (HTTP ${status}); not checking them`,
        );
      }
    }
    if (!this.config.checkModels) return;
    for (const [name, profile] of Object.entries(this.config.profiles)) {
      const server = this.serverOf(profile);
      const ids = models.get(server);
      if (ids && !ids.has(profile.model)) {
        const known = [...ids].slice(0, 10).join(', ');
        throw new ConfabError(
          'backend.model-missing',
          `backend '${this.name}' profile '${name}': the server at ${server.baseURL} has no model '${profile.model}' (it lists: ${known || 'none'}); load the model there or set the profile's model to one it lists`,
        );
      }
    }
  }

  async stop(): Promise<void> {
    for (const server of this.servers.values()) server.health.stop();
  }

  generate(request: GenerateRequest): AsyncIterable<StreamPart> {
    const profile = this.config.profiles[request.profile];
    if (!profile) return this.unknownProfile(request.profile);
    const server = this.serverOf(profile);
    const { params, warnings } = openaiRequestOptions(
      profile.options,
      request.sampling,
      `openai '${this.name}'`,
    );
    const { system, maxPromptTokens } = request;
    return streamFromServer({
      health: server.health,
      signal: request.signal,
      warnings,
      describe: `openai '${this.name}' profile '${request.profile}' (model ${profile.model} at ${server.baseURL})`,
      logger: this.logger,
      classify: (error) => errorKindForStatus(statusOf(error)),
      open: async (signal) => {
        // The server tokenizes only what it is sent: the budget is met by estimate.
        const kept = await trimToBudget(request.messages, maxPromptTokens, (m) => estimateTokens(system, m));
        const messages = chatMessages(system, kept);
        const stream = await this.client(server.baseURL, server.apiKey).chat.completions.create(
          {
            model: profile.model,
            messages,
            stream: true,
            stream_options: { include_usage: true },
            ...params,
          },
          { signal },
        );
        return completionChunks(stream);
      },
    });
  }

  /**
   * Resolves when the server answers at all: an HTTP error (a key refused, no `/models`) still
   * means it is back, and the request that follows reports its own error.
   */
  private async reachable(baseURL: string, apiKey: string): Promise<void> {
    try {
      await this.client(baseURL, apiKey).models.list();
    } catch (error) {
      if (statusOf(error) === undefined) throw error;
    }
  }

  /** A client that never retries by itself: {@link ServerHealth} owns retrying. */
  private client(baseURL: string, apiKey: string): OpenAI {
    return new OpenAI({ baseURL, apiKey, maxRetries: 0 });
  }

  private serverOf(profile: OpenAIProfile): Server {
    const baseURL = baseURLOf(profile, this.config);
    const apiKey = apiKeyOf(profile, this.config);
    return this.servers.get(`${baseURL}\n${apiKey}`) as Server;
  }

  private profile(name: string): OpenAIProfile {
    const profile = this.config.profiles[name];
    if (!profile) {
      throw new ConfabError('backend.unknown-profile', `backend '${this.name}' has no profile '${name}'`);
    }
    return profile;
  }

  private async *unknownProfile(profile: string): AsyncGenerator<StreamPart> {
    yield {
      type: 'error',
      error: { kind: 'bad-request', message: `backend '${this.name}' has no profile '${profile}'` },
    };
  }
}
