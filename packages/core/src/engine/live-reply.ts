import type { Logger } from '../logging/logger.js';
import type { OutboundTarget, Transport } from '../transport/transport.js';
import { splitMessage } from './message-splitter.js';

/**
 * A reply that streams into the platform: sent once there is text, then edited as tokens
 * arrive, never faster than the transport's minimum edit interval, and continued in further
 * messages past its length limit. On transports without edits the text is sent once, at the end.
 */
export class LiveReply {
  private text = '';
  private readonly sent: { id: string; text: string }[] = [];
  private lastWriteAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private finished = false;

  constructor(
    private readonly transport: Transport,
    private readonly target: OutboundTarget,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Ids of the messages sent so far, in order. */
  get messageIds(): string[] {
    return this.sent.map((m) => m.id);
  }

  /** The whole text so far. */
  get content(): string {
    return this.text;
  }

  append(delta: string): void {
    if (this.finished || delta.length === 0) return;
    this.text += delta;
    if (!this.transport.capabilities.edits) return;
    this.schedule();
  }

  /** Write the final text (or `fallback` when the reply is empty) and stop. */
  async finish(fallback?: string): Promise<void> {
    this.finished = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.text.trim().length === 0 && fallback) this.text = fallback;
    await this.flushing;
    if (this.text.trim().length === 0) return;
    const wait = this.lastWriteAt + this.transport.capabilities.minEditIntervalMs - this.now();
    if (this.sent.length > 0 && wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await this.enqueueFlush();
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastWriteAt + this.transport.capabilities.minEditIntervalMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.finished) void this.enqueueFlush();
    }, wait);
  }

  private enqueueFlush(): Promise<void> {
    this.flushing = this.flushing
      .then(() => this.flush())
      .catch((error: unknown) => {
        this.logger.warn(
          { err: error, room: this.target.roomId, mate: this.target.mate },
          'reply: writing to the platform failed',
        );
      });
    return this.flushing;
  }

  private async flush(): Promise<void> {
    if (this.text.trim().length === 0) return;
    const chunks = splitMessage(this.text, this.transport.capabilities.maxMessageLength);
    for (let i = 0; i < chunks.length; i++) {
      const chunk = chunks[i] as string;
      const existing = this.sent[i];
      if (!existing) {
        // Only the first message of a reply is a platform "reply"; continuations follow it.
        const target = i === 0 ? this.target : { ...this.target, replyTo: undefined };
        const { id } = await this.transport.send(target as OutboundTarget, chunk);
        this.sent.push({ id, text: chunk });
      } else if (existing.text !== chunk) {
        await this.transport.edit(this.target, existing.id, chunk);
        existing.text = chunk;
      } else {
        continue;
      }
      this.lastWriteAt = this.now();
    }
  }
}
