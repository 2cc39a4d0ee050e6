import type { Bot, StreamPart } from '@confab/core';
import type { ScriptedBackend } from '@confab/testkit';

/** What a platform request was for, from the bot's point of view. */
export type RequestKind = 'reply' | 'edit' | 'typing' | 'history' | 'other' | 'background';

/** One request the bot made to its platform. */
export interface PlatformRequest {
  readonly kind: RequestKind;
  /** Method and route with ids left out, for the `other` breakdown. */
  readonly route: string;
  /** The room (as `ChatMessage.roomId`) it was about, when its path names one. */
  readonly room?: string;
  /** When the platform received it (epoch ms). */
  readonly at: number;
}

/** One message a person sent and what came of it. */
export interface Turn {
  readonly tag: string;
  readonly room: string;
  /** The first message of its conversation. */
  readonly cold: boolean;
  /** Resolves once the engine sent the whole reply (`reply.sent`); rejects when the job failed. */
  readonly answered: Promise<void>;
  /** `performance.now()` at the engine's `message.received`, and `Date.now()` then. */
  receivedAt?: number;
  receivedWall?: number;
  /** `performance.now()` when the backend's `generate()` was called, got its first token, finished. */
  generateAt?: number;
  firstTokenAt?: number;
  finishAt?: number;
  repliedAt?: number;
}

const TAG = /\bq\d+x\d+\b/;

/**
 * Follows each tagged message through the bot: its `message.received`, the backend's
 * `generate()` call for it and the stream's first token and end, and its `reply.sent`.
 */
export class TurnLog {
  readonly turns: Turn[] = [];
  private readonly byTag = new Map<string, Turn & { settle(error?: Error): void }>();
  private readonly byMessageId = new Map<string, string>();
  private readonly unsubscribe: (() => void)[];
  private readonly generate: ScriptedBackend['generate'];

  constructor(
    bot: Bot,
    private readonly backend: ScriptedBackend,
  ) {
    this.unsubscribe = [
      bot.events.on('message.received', ({ message }) => {
        const turn = message.sender.isBot ? undefined : this.find(message.text);
        if (!turn || turn.receivedAt !== undefined) return;
        turn.receivedAt = performance.now();
        turn.receivedWall = Date.now();
        this.byMessageId.set(message.id, turn.tag);
      }),
      bot.events.on('reply.sent', ({ jobId }) => this.ofJob(jobId)?.settle()),
      bot.events.on('job.failed', ({ jobId, message }) => this.ofJob(jobId)?.settle(new Error(message))),
      bot.events.on('job.rejected', ({ jobId, reason }) => this.ofJob(jobId)?.settle(new Error(reason))),
    ];
    this.generate = backend.generate;
    backend.generate = (request) => {
      const at = performance.now();
      const parts = this.generate.call(backend, request);
      const turn = this.find(request.messages.at(-1)?.content ?? '');
      if (!turn) return parts;
      turn.generateAt = at;
      return timed(parts, turn);
    };
  }

  /** Registers a message about to be sent; its text must contain `tag`. */
  expect(tag: string, room: string, cold: boolean): Turn {
    let settle: (error?: Error) => void = () => {};
    const answered = new Promise<void>((resolve, reject) => {
      settle = (error) => (error ? reject(error) : resolve());
    });
    const turn = {
      tag,
      room,
      cold,
      answered,
      settle: (error?: Error) => {
        turn.repliedAt ??= performance.now();
        settle(error);
      },
    } as Turn & { settle(error?: Error): void };
    this.turns.push(turn);
    this.byTag.set(tag, turn);
    return turn;
  }

  close(): void {
    for (const off of this.unsubscribe) off();
    this.backend.generate = this.generate;
  }

  private find(text: string) {
    const tag = TAG.exec(text)?.[0];
    return tag === undefined ? undefined : this.byTag.get(tag);
  }

  /** Job ids are `transport:messageId:mate`. */
  private ofJob(jobId: string) {
    const messageId = jobId.slice(jobId.indexOf(':') + 1, jobId.lastIndexOf(':'));
    const tag = this.byMessageId.get(messageId);
    return tag === undefined ? undefined : this.byTag.get(tag);
  }
}

async function* timed(parts: AsyncIterable<StreamPart>, turn: Turn): AsyncIterable<StreamPart> {
  for await (const part of parts) {
    if (part.type === 'text-delta') turn.firstTokenAt ??= performance.now();
    if (part.type === 'finish') turn.finishAt = performance.now();
    yield part;
  }
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

type Counted = Exclude<RequestKind, 'background'>;

/**
 * Per answered message: the platform requests attributed to it (a request about a room belongs
 * to that room's latest message received before it; people wait for a reply before writing
 * again, so a room's messages never overlap), and the times the engine took.
 */
export function measureTurns(
  turns: readonly Turn[],
  requests: readonly PlatformRequest[],
  minEditIntervalMs: number,
) {
  const answered = turns.filter((t) => t.repliedAt !== undefined && t.receivedWall !== undefined);
  const counts = new Map<Turn, Record<Counted, number>>(
    answered.map((t) => [t, { reply: 0, edit: 0, typing: 0, history: 0, other: 0 }]),
  );
  const byRoom = new Map<string, Turn[]>();
  for (const turn of [...answered].sort((a, b) => (a.receivedWall as number) - (b.receivedWall as number)))
    byRoom.set(turn.room, [...(byRoom.get(turn.room) ?? []), turn]);
  const start = Math.min(...answered.map((t) => t.receivedWall as number));
  const otherRoutes: Record<string, number> = {};
  let unattributed = 0;
  for (const request of requests) {
    if (request.kind === 'background' || request.at < start) continue;
    const turn = request.room
      ? byRoom.get(request.room)?.findLast((t) => (t.receivedWall as number) <= request.at)
      : undefined;
    if (turn) (counts.get(turn) as Record<Counted, number>)[request.kind]++;
    else unattributed++;
    if (request.kind === 'other' || !turn) otherRoutes[request.route] = (otherRoutes[request.route] ?? 0) + 1;
  }
  const total = (kind: Counted, of = answered) =>
    of.reduce((sum, t) => sum + (counts.get(t) as Record<Counted, number>)[kind], 0);
  const perMessage = (kind: Counted, of = answered) => round(total(kind, of) / of.length);
  // Writes are at least the interval apart and all but the last start before the stream ends.
  const allowed = (t: Turn) =>
    minEditIntervalMs > 0
      ? Math.floor(((t.finishAt ?? 0) - (t.firstTokenAt ?? 0)) / minEditIntervalMs) + 1
      : Number.POSITIVE_INFINITY;
  const edits = total('edit');
  const allowedEdits = answered.reduce((sum, t) => sum + allowed(t), 0);
  const added = answered.map((t) => (t.generateAt as number) - (t.receivedAt as number));
  const warm = answered.filter((t) => !t.cold);
  const cold = answered.filter((t) => t.cold);
  return {
    answered: answered.length,
    cold: cold.length,
    minEditIntervalMs,
    repliesPerMessage: perMessage('reply'),
    editsPerMessage: perMessage('edit'),
    allowedEditsPerMessage: round(allowedEdits / answered.length),
    editsOfAllowed: round(edits / allowedEdits, 3),
    repliesOverEditAllowance: answered.filter(
      (t) => (counts.get(t) as Record<Counted, number>).edit > allowed(t),
    ).length,
    typingPerMessage: perMessage('typing'),
    coldHistoryReadsPerMessage: perMessage('history', cold),
    warmHistoryReadsPerMessage: perMessage('history', warm),
    otherPerMessage: round((total('other') + unattributed) / answered.length),
    otherRoutes,
    p50AddedMs: round(percentile(added, 50)),
    p99AddedMs: round(percentile(added, 99)),
    warmP99AddedMs: round(
      percentile(
        warm.map((t) => (t.generateAt as number) - (t.receivedAt as number)),
        99,
      ),
    ),
    coldMaxAddedMs: round(Math.max(...cold.map((t) => (t.generateAt as number) - (t.receivedAt as number)))),
    p50FirstTokenMs: round(
      percentile(
        answered.map((t) => (t.firstTokenAt as number) - (t.generateAt as number)),
        50,
      ),
    ),
    p50ReplyMs: round(
      percentile(
        answered.map((t) => (t.repliedAt as number) - (t.receivedAt as number)),
        50,
      ),
    ),
  };
}
