import type { BackendErrorKind } from '../backend/backend.js';
import type { Logger } from '../logging/logger.js';
import type { JobHandle } from '../scheduler/scheduler.js';
import type { OutboundTarget, Transport } from '../transport/transport.js';
import { LiveReply, type ReplyPart } from './live-reply.js';
import { sendNotice } from './notice.js';
import { failureNotice } from './user-notices.js';

// Typing shows only when the first text is slow to come: a reply that starts sooner is its own
// sign of life, and every indicator is one more platform request.
const TYPING_DELAY_MS = 1000;
const TYPING_REFRESH_MS = 8000;

/** Where a reply goes, and who hears of each message it takes. */
export interface ReplyDestination {
  readonly transport: Transport;
  readonly target: OutboundTarget;
  readonly log: Logger;
  /** Told each message of the reply (and a failure notice) with its text as it goes out. */
  readonly onPart: (part: ReplyPart) => void;
}

/** How a streamed reply ended. */
export interface ReplyOutcome {
  /** The text the platform shows (without a failure notice). */
  readonly text: string;
  readonly messageIds: string[];
  /** Set when the backend failed; the person was told. */
  readonly failure: BackendErrorKind | undefined;
  /** Cancelled (`!stop`, superseded, shutting down). */
  readonly aborted: boolean;
}

/**
 * Streams a job's parts into the platform as one live reply (sent, then edited as tokens come,
 * split past the length limit), with a typing indicator while it runs. A failure is told in
 * plain words: after the text that came, or instead of a reply.
 */
export async function streamReply(handle: JobHandle, destination: ReplyDestination): Promise<ReplyOutcome> {
  const { transport, target, log, onPart } = destination;
  const typing = startTyping(transport, target, log);
  const reply = new LiveReply(transport, target, log, onPart);
  let failure: BackendErrorKind | undefined;
  let aborted = false;
  try {
    for await (const part of handle.parts) {
      if (part.type === 'text-delta') {
        reply.append(part.text);
        // Where text streams by edits the person sees it from now on; elsewhere it comes at the end.
        if (transport.capabilities.edits) typing.stop();
      } else if (part.type === 'error') {
        failure = part.error.kind;
        log.error(
          { kind: part.error.kind, err: part.error.cause, detail: part.error.message },
          'backend failed',
        );
      } else if (part.type === 'finish') {
        aborted = part.reason === 'aborted';
      } else if (part.type === 'stream-start' && part.warnings.length > 0) {
        log.warn({ warnings: part.warnings }, 'backend warnings');
      }
    }
  } finally {
    typing.stop();
  }
  const text = reply.content;
  const notice = failure ? failureNotice(failure) : undefined;
  if (notice && text.length > 0) {
    await reply.finish();
    const { replyTo: _, ...unreplied } = target;
    const sent = await sendNotice(transport, unreplied, notice, log);
    if (sent) onPart({ id: sent.id, text: notice });
  } else if (!(aborted && text.length === 0)) {
    await reply.finish(notice);
  }
  return { text, messageIds: reply.messageIds, failure, aborted };
}

/** Shows the typing indicator from {@link TYPING_DELAY_MS} on until `stop`, refreshed as platforms let it lapse. */
function startTyping(transport: Transport, target: OutboundTarget, log: Logger): { stop(): void } {
  const { typing } = transport;
  if (!typing) return { stop() {} };
  let shown = false;
  const send = (active: boolean) =>
    typing
      .call(transport, target, active)
      .catch((error: unknown) => log.debug({ err: error }, 'typing indicator failed'));
  let timer: NodeJS.Timeout | undefined = setTimeout(() => {
    shown = true;
    void send(true);
    timer = setInterval(() => void send(true), TYPING_REFRESH_MS);
  }, TYPING_DELAY_MS);
  return {
    stop() {
      if (timer === undefined) return;
      clearTimeout(timer);
      clearInterval(timer);
      timer = undefined;
      if (shown) void send(false);
    },
  };
}
