import type { BackendErrorKind, Logger, StreamPart, TokenUsage } from '@confab/core';
import { isConnectionError } from './connection-error.js';
import type { ServerHealth } from './server-health.js';
import { redactUrl } from '@confab/core';

/** One piece of a model server's streamed reply, as a backend translates its client's chunks. */
export type ServerChunk =
  | { readonly type: 'text'; readonly text: string }
  | {
      readonly type: 'finish';
      readonly reason: 'stop' | 'length';
      /** What the server reported; missing counts are filled in (output: text chunks seen). */
      readonly usage?: Partial<TokenUsage>;
    };

/** Options of {@link streamFromServer}. */
export interface ServerStreamOptions {
  /** Reachability of the server this request goes to. */
  readonly health: ServerHealth;
  /** The request's signal: aborting it aborts the HTTP request and ends with `finish: aborted`. */
  readonly signal: AbortSignal;
  /** Options the backend could not honour; sent in `stream-start`. */
  readonly warnings: readonly string[];
  /** What is asked, for messages: `ollama 'local' profile 'small' (model tiny)` (a URL's credentials are redacted). */
  readonly describe: string;
  readonly logger: Logger;
  /**
   * Sends the request. Must abort the HTTP request when `signal` aborts. Resolves once the
   * server accepted the request, with its reply as {@link ServerChunk}s; a reply that stops
   * without a `finish` chunk was cut off.
   */
  readonly open: (signal: AbortSignal) => Promise<AsyncIterable<ServerChunk>>;
  /** Kind of an error the server answered with (an HTTP status); connection errors never get here. */
  readonly classify: (error: unknown) => BackendErrorKind;
}

/**
 * The part of a remote backend's `generate` that does not depend on the server's API: the
 * stream of parts around one HTTP streaming request. Errors become `error` parts (never
 * exceptions): a server that cannot be reached or drops the connection is `unavailable` and
 * starts the {@link ServerHealth} retry loop; while it is down, requests fail at once. A reply
 * cut off mid-stream ends with an error part, not a hang. Leaving the loop early or aborting the
 * request's signal aborts the HTTP request.
 */
export async function* streamFromServer(options: ServerStreamOptions): AsyncGenerator<StreamPart> {
  const { health, signal } = options;
  const describe = redactUrl(options.describe);
  let outputTokens = 0;
  const aborted = (): StreamPart => ({
    type: 'finish',
    reason: 'aborted',
    usage: { inputTokens: 0, outputTokens },
  });
  if (signal.aborted) {
    yield aborted();
    return;
  }
  if (!health.available) {
    yield {
      type: 'error',
      error: {
        kind: 'unavailable',
        message: `${describe}: model server unavailable (retrying in the background)`,
      },
    };
    return;
  }
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const chunks = await options.open(controller.signal);
    health.markUp();
    yield { type: 'stream-start', warnings: options.warnings };
    for await (const chunk of chunks) {
      if (chunk.type === 'text') {
        if (chunk.text === '') continue;
        outputTokens++;
        yield { type: 'text-delta', text: chunk.text };
        continue;
      }
      yield {
        type: 'finish',
        reason: chunk.reason,
        usage: {
          inputTokens: chunk.usage?.inputTokens ?? 0,
          outputTokens: chunk.usage?.outputTokens ?? outputTokens,
        },
      };
      return;
    }
    if (signal.aborted) {
      yield aborted();
      return;
    }
    yield {
      type: 'error',
      error: {
        kind: 'unavailable',
        message: `${describe}: the reply stream ended before the reply finished`,
      },
    };
  } catch (error) {
    if (signal.aborted) {
      yield aborted();
      return;
    }
    if (isConnectionError(error)) {
      health.markDown(error);
      yield {
        type: 'error',
        error: { kind: 'unavailable', message: `${describe}: model server unavailable`, cause: error },
      };
      return;
    }
    const kind = options.classify(error);
    options.logger.debug({ err: error, kind }, `${describe}: request failed`);
    const answer = redactUrl(error instanceof Error ? error.message : String(error));
    // The log line about this failure is the operator's only clue; a chat user cannot fix a key.
    const fix = kind === 'auth' ? " (the server refused the credentials; check the backend's API key)" : '';
    yield { type: 'error', error: { kind, message: `${describe}: ${answer}${fix}`, cause: error } };
  } finally {
    signal.removeEventListener('abort', onAbort);
    // Finished, failed, or the consumer stopped reading: nothing may keep the HTTP stream open.
    controller.abort();
  }
}
