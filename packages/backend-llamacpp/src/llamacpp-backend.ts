import {
  type Backend,
  type BackendCapacity,
  ConfabError,
  type EventBus,
  type GenerateRequest,
  type Logger,
  PartChannel,
  type PluginInstanceInfo,
  type SamplingOptions,
  type StreamPart,
  Tokens,
  redactUrl,
} from '@confab/core';
import { inject, injectable } from 'tsyringe';
import type { LlamaCppConfig, ProfileConfig } from './config.js';
import { defaultCacheDir, downloadModel, isModelUri, localModelPath } from './model-source.js';
import { SessionManager } from './session-manager.js';
import { defaultThreads } from './threads.js';
import {
  type HostChatOutcome,
  HostError,
  type HostOptions,
  type ResolvedSampling,
} from './worker/host-api.js';
import { WorkerDiedError } from './worker/model-worker.js';
import { WorkerPool } from './worker-pool.js';

/** A profile once started: its pool and what the model reported. */
interface RunningProfile {
  readonly pool: WorkerPool;
  readonly contextTokens: number;
  readonly sessions: SessionManager;
}

/**
 * Local models through node-llama-cpp. Each profile keeps `workers` model copies (child
 * processes by default), each generating `sequences` conversations together on one context.
 */
@injectable()
export class LlamaCppBackend implements Backend {
  readonly name: string;
  private readonly running = new Map<string, RunningProfile>();

  constructor(
    @inject(Tokens.PluginInstance) private readonly instance: PluginInstanceInfo,
    @inject(Tokens.PluginConfig) private readonly config: LlamaCppConfig,
    @inject(Tokens.EventBus) private readonly events: EventBus,
    @inject(Tokens.Logger) private readonly logger: Logger,
  ) {
    this.name = instance.name;
  }

  profiles(): readonly string[] {
    return Object.keys(this.config.profiles);
  }

  capacity(profile: string): BackendCapacity {
    const config = this.profileConfig(profile);
    return {
      workers: config.workers,
      parallel: config.sequences,
      contextTokens: this.running.get(profile)?.contextTokens ?? config.contextSize,
    };
  }

  /** Workers of the profile that are loaded and serving now. */
  workersAlive(profile: string): number {
    return this.running.get(profile)?.pool.alive() ?? 0;
  }

  /** Process ids of the profile's worker processes (empty inline). */
  workerPids(profile: string): number[] {
    return this.running.get(profile)?.pool.pids() ?? [];
  }

  async start(): Promise<void> {
    try {
      for (const [profile, config] of Object.entries(this.config.profiles)) {
        const modelPath = await this.resolveModel(profile, config);
        const host: HostOptions = {
          modelPath,
          contextSize: config.contextSize,
          sequences: config.sequences,
          gpu: config.gpu,
          gpuLayers: config.gpu === 'off' ? 0 : config.gpuLayers,
          threads: config.threads ?? defaultThreads(config.workers),
          batchSize: config.batchSize,
        };
        const pool = new WorkerPool({
          backend: this.name,
          profile,
          workers: config.workers,
          mode: config.mode,
          host,
          events: this.events,
          logger: this.logger,
        });
        let info: Awaited<ReturnType<WorkerPool['start']>>;
        try {
          info = await pool.start();
        } catch (error) {
          throw this.loadError(profile, config, modelPath, error);
        }
        this.logger.info(
          { profile, model: modelPath, chatWrapper: info.chatWrapper, threads: info.threads },
          `profile ${profile}: ${config.workers} ${config.mode} worker(s) x ${config.sequences} sequences`,
        );
        this.running.set(profile, {
          pool,
          contextTokens: info.contextTokens,
          sessions: new SessionManager(pool, resolveSampling(config, {})),
        });
      }
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    const running = [...this.running.values()];
    this.running.clear();
    await Promise.all(running.map((profile) => profile.pool.stop()));
  }

  /** The programmatic session API over a started profile. */
  sessions(profile: string): SessionManager {
    return this.requireRunning(profile).sessions;
  }

  generate(request: GenerateRequest): AsyncIterable<StreamPart> {
    const channel = new PartChannel<StreamPart>();
    void this.drive(request, channel);
    return channel;
  }

  private async drive(request: GenerateRequest, channel: PartChannel<StreamPart>): Promise<void> {
    const running = this.running.get(request.profile);
    if (!running) {
      channel.push({
        type: 'error',
        error: {
          kind: 'unavailable',
          message: `backend '${this.name}' has no started profile '${request.profile}'`,
        },
      });
      channel.end();
      return;
    }
    const config = this.profileConfig(request.profile);
    channel.push({ type: 'stream-start', warnings: samplingWarnings(request.sampling) });
    const sampling = resolveSampling(config, request.sampling);
    let emitted = false;
    const attempt = () =>
      running.pool.run((worker) =>
        worker.chat(
          {
            system: request.system,
            messages: request.messages,
            maxPromptTokens: request.maxPromptTokens,
            sampling,
          },
          (text) => {
            emitted = true;
            channel.push({ type: 'text-delta', text });
          },
          request.signal,
        ),
      );
    try {
      let outcome: HostChatOutcome;
      try {
        outcome = await attempt();
      } catch (error) {
        // A worker that died before saying anything costs the user nothing: retry once elsewhere.
        if (!(error instanceof WorkerDiedError) || emitted || request.signal.aborted) throw error;
        this.logger.warn({ profile: request.profile }, 'worker died during a job; retrying it once');
        outcome = await attempt();
      }
      channel.push({ type: 'finish', reason: outcome.reason, usage: outcome.usage });
    } catch (error) {
      if (request.signal.aborted) {
        channel.push({ type: 'finish', reason: 'aborted', usage: { inputTokens: 0, outputTokens: 0 } });
      } else if (error instanceof WorkerDiedError) {
        // Not a server that is away: the pool is already starting a replacement, so the person
        // can simply ask again.
        channel.push({
          type: 'error',
          error: {
            kind: 'crashed',
            message: `backend '${this.name}' profile '${request.profile}': the model worker crashed while answering (${error.message}); a new worker is starting in its place`,
          },
        });
      } else if (error instanceof HostError) {
        channel.push({ type: 'error', error: { kind: error.kind, message: error.message } });
      } else {
        channel.push({ type: 'error', error: { kind: 'internal', message: String(error), cause: error } });
      }
    } finally {
      channel.end();
    }
  }

  private async resolveModel(profile: string, config: ProfileConfig): Promise<string> {
    if (!isModelUri(config.model)) return localModelPath(config.model, this.instance.configDir);
    const cacheDir = this.config.cacheDir
      ? localModelPath(this.config.cacheDir, this.instance.configDir)
      : defaultCacheDir();
    try {
      return await downloadModel(config.model, cacheDir, this.logger);
    } catch (error) {
      throw new ConfabError(
        'backend.model-unavailable',
        `backend '${this.name}' profile '${profile}': cannot download ${redactUrl(config.model)} (${redactUrl((error as Error).message)}). ` +
          `To run without downloading, set ${this.configPath(profile)}.model to a local .gguf file ` +
          `(the quickstart reads it from CONFAB_MODEL, e.g. CONFAB_MODEL=/path/to/model.gguf), ` +
          `or use an Ollama server instead: a backend with plugin "@confab/backend-ollama" and host http://127.0.0.1:11434.`,
        { cause: error },
      );
    }
  }

  private loadError(profile: string, config: ProfileConfig, modelPath: string, error: unknown): ConfabError {
    const where = `backend '${this.name}' profile '${profile}'`;
    const fix = `set ${this.configPath(profile)}.model`;
    if (error instanceof HostError) {
      switch (error.code) {
        case 'model.not-found':
          return new ConfabError(
            'backend.model-not-found',
            `${where}: model file ${modelPath} not found; ${fix} to an existing .gguf file`,
          );
        case 'model.not-gguf':
          return new ConfabError(
            'backend.model-invalid',
            `${where}: ${modelPath} is not a GGUF model file; ${fix} to a .gguf file`,
          );
        case 'model.too-large':
          return new ConfabError(
            'backend.model-too-large',
            `${where}: ${modelPath} does not fit in memory (${error.message}); ${fix} to a smaller (more quantized) model, ` +
              `or lower ${this.configPath(profile)}.workers (${config.workers}) or .contextSize (${config.contextSize})`,
          );
        default:
          return new ConfabError(
            'backend.model-load-failed',
            `${where}: cannot load ${modelPath}: ${error.message}`,
          );
      }
    }
    return new ConfabError(
      'backend.model-load-failed',
      `${where}: cannot load ${modelPath}: ${(error as Error).message ?? String(error)}`,
    );
  }

  private configPath(profile: string): string {
    return `${this.instance.section ?? `backend '${this.name}'`}.profiles.${profile}`;
  }

  private profileConfig(profile: string): ProfileConfig {
    const config = this.config.profiles[profile];
    if (!config)
      throw new ConfabError('backend.unknown-profile', `backend '${this.name}' has no profile '${profile}'`);
    return config;
  }

  private requireRunning(profile: string): RunningProfile {
    const running = this.running.get(profile);
    if (!running) {
      throw new ConfabError(
        'backend.not-started',
        `backend '${this.name}' profile '${profile}' is not started`,
      );
    }
    return running;
  }
}

/** The profile's sampling defaults, overridden by the request's. */
export function resolveSampling(config: ProfileConfig, sampling: SamplingOptions): ResolvedSampling {
  const defaults = config.sampling;
  return {
    temperature: sampling.temperature ?? defaults.temperature,
    topK: sampling.topK ?? defaults.topK,
    topP: sampling.topP ?? defaults.topP,
    minP: sampling.minP ?? defaults.minP,
    repeatPenalty: sampling.repeatPenalty ?? defaults.repeatPenalty,
    seed: sampling.seed ?? defaults.seed,
    maxTokens: sampling.maxTokens ?? defaults.maxTokens,
    ignoreEos: defaults.ignoreEos,
  };
}

const SUPPORTED = new Set(['temperature', 'topK', 'topP', 'minP', 'repeatPenalty', 'seed', 'maxTokens']);

/** Warnings for request options node-llama-cpp cannot honour (none of the core ones today). */
function samplingWarnings(sampling: SamplingOptions): string[] {
  return Object.keys(sampling)
    .filter((key) => !SUPPORTED.has(key))
    .map((key) => `sampling option ${key} is not supported by llama.cpp and was ignored`);
}
