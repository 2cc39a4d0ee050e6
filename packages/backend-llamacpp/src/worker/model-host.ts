import type { BackendMessage } from '@confab/core';
import {
  type ChatHistoryItem,
  type ChatWrapper,
  getLlama,
  InsufficientMemoryError,
  type Llama,
  LlamaChat,
  type LlamaContext,
  type LlamaContextSequence,
  LlamaLogLevel,
  type LlamaModel,
  type Token,
  type TokenBias,
} from 'node-llama-cpp';
import { eogBan } from './eog-ban.js';
import {
  type HostApi,
  type HostChatOutcome,
  type HostChatRequest,
  HostError,
  type HostOptions,
  type LoadInfo,
  type ResolvedSampling,
} from './host-api.js';
import { checkModelFile } from './model-file-check.js';

/** A chat history the model reads, and its tokens in the model's prompt format. */
interface PromptFit {
  readonly history: ChatHistoryItem[];
  readonly tokens: number;
}

/** A raw session: one sequence, the text so far and the tokens not yet evaluated. */
interface RawSession {
  readonly sequence: LlamaContextSequence;
  text: string;
  pending: Token[];
  started: boolean;
}

/**
 * One loaded model with one context whose sequences serve concurrent conversations; llama.cpp
 * batches the sequences' evaluations together. Runs inside a worker process or in-process.
 */
export class ModelHost implements HostApi {
  private llama?: Llama;
  private model?: LlamaModel;
  private context?: LlamaContext;
  private chatWrapper?: ChatWrapper;
  private ban?: TokenBias;
  private readonly free: LlamaContextSequence[] = [];
  private readonly sessions = new Map<number, RawSession>();
  private nextSession = 1;

  /** Loads the model and creates the context; load failures are {@link HostError}s with a code. */
  async load(options: HostOptions): Promise<LoadInfo> {
    await checkModelFile(options.modelPath);
    try {
      this.llama = await getLlama({
        gpu: options.gpu === 'off' ? false : options.gpu,
        build: 'never',
        logLevel: LlamaLogLevel.error,
        maxThreads: options.threads,
      });
      this.model = await this.llama.loadModel({ modelPath: options.modelPath, gpuLayers: options.gpuLayers });
      this.context = await this.model.createContext({
        contextSize: options.contextSize,
        sequences: options.sequences,
        threads: options.threads,
        ...(options.batchSize ? { batchSize: options.batchSize } : {}),
      });
    } catch (error) {
      await this.dispose();
      if (error instanceof InsufficientMemoryError || /memory|alloc/i.test(String(error))) {
        throw new HostError(
          'unavailable',
          `${options.modelPath} is too large for this machine's memory (${(error as Error).message})`,
          'model.too-large',
        );
      }
      throw new HostError(
        'unavailable',
        `cannot load ${options.modelPath}: ${(error as Error).message ?? String(error)}`,
        'model.load-failed',
      );
    }
    for (let i = 0; i < options.sequences; i++) this.free.push(this.context.getSequence());
    const probe = new LlamaChat({ contextSequence: this.free[0]!, autoDisposeSequence: false });
    this.chatWrapper = probe.chatWrapper;
    probe.dispose({ disposeSequence: false });
    this.ban = eogBan(this.model);
    return {
      contextTokens: this.context.contextSize,
      chatWrapper: this.chatWrapper.wrapperName,
      threads: options.threads,
    };
  }

  async chat(
    request: HostChatRequest,
    onDelta: (text: string) => void,
    signal: AbortSignal,
  ): Promise<HostChatOutcome> {
    const { history, tokens: inputTokens } = this.fitPrompt(request);
    if (signal.aborted) return { reason: 'aborted', usage: { inputTokens, outputTokens: 0 } };
    const sequence = this.acquire();
    const chat = new LlamaChat({
      contextSequence: sequence,
      chatWrapper: this.chatWrapper,
      autoDisposeSequence: false,
    });
    let outputTokens = 0;
    try {
      const result = await chat.generateResponse(history, {
        ...this.samplingOptions(request.sampling),
        onTextChunk: onDelta,
        onToken: (tokens) => {
          outputTokens += tokens.length;
        },
        signal,
        stopOnAbortSignal: true,
      });
      const stop = result.metadata.stopReason;
      const reason =
        signal.aborted || stop === 'abort' ? 'aborted' : stop === 'maxTokens' ? 'length' : 'stop';
      return { reason, usage: { inputTokens, outputTokens } };
    } catch (error) {
      if (signal.aborted) return { reason: 'aborted', usage: { inputTokens, outputTokens } };
      throw new HostError('internal', `generation failed: ${(error as Error).message ?? String(error)}`);
    } finally {
      chat.dispose({ disposeSequence: false });
      this.release(sequence);
    }
  }

  async openSession(): Promise<number> {
    const sequence = this.acquire();
    const id = this.nextSession++;
    this.sessions.set(id, { sequence, text: '', pending: [], started: false });
    return id;
  }

  async addText(session: number, text: string): Promise<void> {
    const state = this.session(session);
    const model = this.requireModel();
    if (!state.started && model.tokens.bos !== null && model.tokens.shouldPrependBosToken) {
      state.pending.push(model.tokens.bos);
    }
    state.started = true;
    state.pending.push(...model.tokenize(text));
    state.text += text;
  }

  async generateTokens(session: number, count: number, sampling: ResolvedSampling): Promise<string> {
    const state = this.session(session);
    const model = this.requireModel();
    if (state.pending.length === 0) {
      throw new HostError('bad-request', 'add text to the session before generating');
    }
    const generated: Token[] = [];
    const input = state.pending;
    state.pending = [];
    const options = this.samplingOptions(sampling);
    for await (const token of state.sequence.evaluate(input, {
      temperature: options.temperature,
      topK: options.topK,
      topP: options.topP,
      minP: options.minP,
      seed: options.seed,
      tokenBias: options.tokenBias,
      yieldEogToken: true,
    })) {
      if (model.isEogToken(token)) break;
      generated.push(token);
      if (generated.length >= count) {
        // The last token is sampled but not yet evaluated: it goes first next time.
        state.pending = [token];
        break;
      }
    }
    const text = model.detokenize(generated);
    state.text += text;
    return text;
  }

  async sessionText(session: number): Promise<string> {
    return this.session(session).text;
  }

  async resetSession(session: number): Promise<void> {
    const state = this.session(session);
    await state.sequence.clearHistory();
    state.text = '';
    state.pending = [];
    state.started = false;
  }

  async closeSession(session: number): Promise<void> {
    const state = this.session(session);
    this.sessions.delete(session);
    await state.sequence.clearHistory();
    this.release(state.sequence);
  }

  /** Sequences not serving a conversation or session. */
  get freeSequences(): number {
    return this.free.length;
  }

  async dispose(): Promise<void> {
    await this.context?.dispose();
    await this.model?.dispose();
    await this.llama?.dispose();
    this.context = undefined;
    this.model = undefined;
    this.llama = undefined;
  }

  /**
   * The prompt the model reads and its tokens, counted once where it is built. When it does not
   * fit `maxPromptTokens`, the oldest messages are dropped (never the last) by a binary search
   * over where the kept ones start: core's `trimToBudget`, done here because the worker process
   * does not load core, and because it hands back the count of what it keeps.
   */
  private fitPrompt({ system, messages, maxPromptTokens }: HostChatRequest): PromptFit {
    const fits = new Map<number, PromptFit>();
    const count = (start: number): number => {
      const history = this.history(system, start === 0 ? messages : messages.slice(start));
      const fit = { history, tokens: this.tokenCount(history) };
      fits.set(start, fit);
      return fit.tokens;
    };
    if (count(0) <= maxPromptTokens || messages.length <= 1) return fits.get(0) as PromptFit;
    let lo = 1;
    let hi = messages.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (count(mid) <= maxPromptTokens) hi = mid;
      else lo = mid + 1;
    }
    if (!fits.has(lo)) count(lo);
    return fits.get(lo) as PromptFit;
  }

  /** The chat as node-llama-cpp takes it, ending in the model's open turn. */
  private history(system: string, messages: readonly BackendMessage[]): ChatHistoryItem[] {
    const items: ChatHistoryItem[] = [];
    if (system.trim()) items.push({ type: 'system', text: system });
    for (const message of messages) {
      if (message.role === 'user') {
        items.push({
          type: 'user',
          text: message.name ? `${message.name}: ${message.content}` : message.content,
        });
      } else {
        items.push({ type: 'model', response: [message.content] });
      }
    }
    items.push({ type: 'model', response: [] });
    return items;
  }

  private tokenCount(history: ChatHistoryItem[]): number {
    const wrapper = this.chatWrapper;
    const model = this.requireModel();
    if (!wrapper) throw new HostError('unavailable', 'model not loaded');
    const { contextText } = wrapper.generateContextState({ chatHistory: history });
    return contextText.tokenize(model.tokenizer).length;
  }

  private samplingOptions(sampling: ResolvedSampling) {
    return {
      maxTokens: sampling.maxTokens,
      temperature: sampling.temperature ?? 0,
      topK: sampling.topK,
      topP: sampling.topP,
      minP: sampling.minP,
      seed: sampling.seed,
      repeatPenalty: sampling.repeatPenalty !== undefined ? { penalty: sampling.repeatPenalty } : undefined,
      tokenBias: sampling.ignoreEos ? this.ban : undefined,
    };
  }

  private acquire(): LlamaContextSequence {
    const sequence = this.free.pop();
    if (!sequence) throw new HostError('overloaded', 'every sequence of this worker is busy');
    return sequence;
  }

  private release(sequence: LlamaContextSequence): void {
    this.free.push(sequence);
  }

  private session(id: number): RawSession {
    const state = this.sessions.get(id);
    if (!state) throw new HostError('bad-request', `session ${id} is closed`);
    return state;
  }

  private requireModel(): LlamaModel {
    if (!this.model) throw new HostError('unavailable', 'model not loaded');
    return this.model;
  }
}
