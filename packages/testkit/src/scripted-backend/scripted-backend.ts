import {
  type Backend,
  type BackendCapacity,
  type BackendErrorKind,
  type BackendMessage,
  type GenerateRequest,
  type StreamPart,
  trimToBudget,
} from '@confab/core';

/** One scripted reply rule: the first whose `match` is found in the last message answers. */
export interface ScriptRule {
  /** Regular expression source, tested against the last user message. */
  readonly match: string;
  /** Reply template; `{text}` is the last message, `{count}` the number of messages seen. */
  readonly reply?: string;
  /** Fail instead of answering. */
  readonly fail?: BackendErrorKind;
}

/** How one profile of the scripted backend behaves. */
export interface ScriptedProfile {
  readonly rules?: readonly ScriptRule[];
  /** Reply when no rule matches; default `You said: {text}`. */
  readonly reply?: string;
  /** Pause before each streamed chunk, in ms (0: as fast as possible). */
  readonly chunkDelayMs?: number;
  /** Pause before the first chunk only, in ms: a model slow to start (prompt evaluation). */
  readonly firstTokenDelayMs?: number;
  /** Characters per text-delta part; default: one word per part. */
  readonly chunkSize?: number;
  readonly workers?: number;
  readonly parallel?: number;
  readonly contextTokens?: number;
}

/** A request the scripted backend received, for assertions. */
export interface ScriptedCall {
  readonly profile: string;
  readonly system: string;
  /** What the model read: the request's messages trimmed to `maxPromptTokens`. */
  readonly messages: readonly BackendMessage[];
  readonly maxPromptTokens: number;
  readonly startedAt: number;
}

/** Options of {@link ScriptedBackend} beyond its profiles. */
export interface ScriptedBackendOptions {
  /**
   * Keep at most this many recent requests in {@link ScriptedBackend.calls} (default: all).
   * Benchmarks bound it, so the record of past requests does not weigh on the engine measured.
   */
  readonly retain?: number;
}

/**
 * A backend that answers from a script: exact, instant (or paced) replies for engine tests and
 * benchmarks. It counts one token per whitespace-separated word ({@link promptTokens}) and trims
 * the history to the request's `maxPromptTokens` by that count, as a real backend would by its
 * tokenizer.
 */
export class ScriptedBackend implements Backend {
  /** Requests received, oldest first (the most recent `retain` of them when bounded). */
  readonly calls: ScriptedCall[] = [];
  /** Jobs generating right now. */
  active = 0;
  /** The most jobs that generated at once. */
  peakActive = 0;
  private failNext: BackendErrorKind | undefined;
  private crashNextWith: string | undefined;
  private readonly compiled = new Map<string, { re: RegExp; rule: ScriptRule }[]>();
  private readonly profileNames: readonly string[];
  private readonly retain: number;

  constructor(
    readonly name: string,
    private readonly profileConfig: Readonly<Record<string, ScriptedProfile>>,
    options: ScriptedBackendOptions = {},
  ) {
    this.retain = options.retain ?? Number.POSITIVE_INFINITY;
    this.profileNames = Object.keys(profileConfig);
    for (const [profile, config] of Object.entries(profileConfig)) {
      this.compiled.set(
        profile,
        (config.rules ?? []).map((rule) => ({ re: new RegExp(rule.match, 'i'), rule })),
      );
    }
  }

  profiles(): readonly string[] {
    return this.profileNames;
  }

  capacity(profile: string): BackendCapacity {
    const config = this.profile(profile);
    return {
      workers: config.workers ?? 1,
      parallel: config.parallel ?? 4,
      contextTokens: config.contextTokens ?? 4096,
    };
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  /** Make the next generation throw, as a broken worker would (a contract violation the scheduler survives). */
  crashNext(message = 'scripted crash'): void {
    this.crashNextWith = message;
  }

  /** Make the next generation fail with an error part of this kind. */
  failNextWith(kind: BackendErrorKind): void {
    this.failNext = kind;
  }

  /** The prompt's tokens as this backend counts them: its words, plus one per message. */
  promptTokens(system: string, messages: readonly BackendMessage[]): number {
    let tokens = countWords(system);
    for (const m of messages) tokens += countWords(m.content) + 1;
    return tokens;
  }

  async *generate(request: GenerateRequest): AsyncIterable<StreamPart> {
    const config = this.profile(request.profile);
    const { system, maxPromptTokens } = request;
    const messages = await trimToBudget(request.messages, maxPromptTokens, (kept) =>
      this.promptTokens(system, kept),
    );
    this.calls.push({ profile: request.profile, system, messages, maxPromptTokens, startedAt: Date.now() });
    // Trimmed in batches, so a bounded log costs no array shift per request.
    if (this.calls.length > 2 * this.retain) this.calls.splice(0, this.calls.length - this.retain);
    this.active++;
    this.peakActive = Math.max(this.peakActive, this.active);
    try {
      yield { type: 'stream-start', warnings: [] };
      if (this.crashNextWith !== undefined) {
        const message = this.crashNextWith;
        this.crashNextWith = undefined;
        throw new Error(message);
      }
      const last = messages.at(-1)?.content ?? '';
      const matched = this.compiled.get(request.profile)?.find(({ re }) => re.test(last))?.rule;
      const failure = this.failNext ?? matched?.fail;
      this.failNext = undefined;
      if (failure) {
        yield { type: 'error', error: { kind: failure, message: `scripted failure (${failure})` } };
        return;
      }
      const template = matched?.reply ?? config.reply ?? 'You said: {text}';
      const text = template.replaceAll('{text}', last).replaceAll('{count}', String(messages.length));
      let output = 0;
      if (config.firstTokenDelayMs) {
        await sleep(config.firstTokenDelayMs, request.signal);
        if (request.signal.aborted) {
          yield { type: 'finish', reason: 'aborted', usage: { inputTokens: 0, outputTokens: 0 } };
          return;
        }
      }
      for (const chunk of chunks(text, config.chunkSize)) {
        // Only a paced reply reads the signal: an instant one has no time to be cancelled in,
        // and the scheduler stops reading a stream it cancelled.
        if (config.chunkDelayMs) {
          await sleep(config.chunkDelayMs, request.signal);
          if (request.signal.aborted) {
            yield { type: 'finish', reason: 'aborted', usage: { inputTokens: 0, outputTokens: output } };
            return;
          }
        }
        output++;
        yield { type: 'text-delta', text: chunk };
      }
      const input = this.promptTokens(system, messages);
      yield { type: 'finish', reason: 'stop', usage: { inputTokens: input, outputTokens: output } };
    } finally {
      this.active--;
    }
  }

  private profile(profile: string): ScriptedProfile {
    const config = this.profileConfig[profile];
    if (!config) throw new Error(`scripted backend ${this.name}: no profile ${profile}`);
    return config;
  }
}

/** Whitespace-separated words, counted without splitting the text (no garbage per call). */
function countWords(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = isSpace(text.charCodeAt(i));
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

/** What `\s` matches in the ASCII range, and the common Unicode spaces. */
function isSpace(code: number): boolean {
  return (
    code === 32 ||
    (code >= 9 && code <= 13) ||
    code === 0xa0 ||
    code === 0xfeff ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

function* chunks(text: string, size: number | undefined): Generator<string> {
  if (size) {
    for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
    return;
  }
  // One word (with its following whitespace) per part, like a tokenizer would roughly stream.
  let start = 0;
  let i = 0;
  while (i < text.length) {
    while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    yield text.slice(start, i);
    start = i;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
