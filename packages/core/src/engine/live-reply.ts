import type { Logger } from '../logging/logger.js';
import type { OutboundTarget, Transport } from '../transport/transport.js';
import { splitMessage } from './message-splitter.js';

/** One platform message of a reply, with its text. */
export interface ReplyPart {
  readonly id: string;
  readonly text: string;
}

/**
 * A reply that streams into the platform: sent once there is text, then edited as tokens
 * arrive, never faster than the transport's minimum edit interval, and continued in further
 * messages past its length limit. On transports without edits the text is sent once, at the end.
 */
export class LiveReply {
  private text = '';
  /** The text as the platform has it after the last complete write. */
  private written = '';
  private readonly sent: { id: string; text: string }[] = [];
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  /** The write in progress, if any; appends during it are picked up by the next one. */
  private writing: Promise<void> | undefined;
  private dirty = false;
  private finished = false;

  /**
   * @param onPart told each message's text as it goes out (before an edit is sent, so nothing
   *   that reads the platform after it can be ahead of it)
   */
  constructor(
    private readonly transport: Transport,
    private readonly target: OutboundTarget,
    private readonly logger: Logger,
    private readonly onPart: (part: ReplyPart) => void = () => {},
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
    if (this.transport.capabilities.edits) this.kick();
  }

  /** Write the final text (or `fallback` when the reply is empty) and stop. */
  async finish(fallback?: string): Promise<void> {
    this.finished = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.text.trim().length === 0 && fallback) this.text = fallback;
    while (this.writing) await this.writing;
    if (this.text === this.written || this.text.trim().length === 0) return;
    const wait = this.lastWriteAt + this.transport.capabilities.minEditIntervalMs - Date.now();
    if (this.sent.length > 0 && wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await this.write();
  }

  /** Write now if the platform allows it, else once its edit interval has passed; never two at once. */
  private kick(): void {
    if (this.writing || this.timer) {
      this.dirty = true;
      return;
    }
    const wait = this.lastWriteAt + this.transport.capabilities.minEditIntervalMs - Date.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (!this.finished) void this.write();
      }, wait);
      return;
    }
    void this.write();
  }

  private write(): Promise<void> {
    this.dirty = false;
    this.writing = this.flush()
      .catch((error: unknown) => {
        const { roomId: room, mate } = this.target;
        this.logger.warn({ err: error, room, mate }, 'reply: writing to the platform failed');
      })
      .finally(() => {
        this.writing = undefined;
        if (this.dirty && !this.finished) this.kick();
      });
    return this.writing;
  }

  private async flush(): Promise<void> {
    // Nothing new since the last write (the common end of a reply that streamed in full).
    if (this.text === this.written || this.text.trim().length === 0) return;
    const text = this.text;
    const chunks = splitMessage(text, this.transport.capabilities.maxMessageLength);
    for (let i = 0; i < chunks.length; i++) {
      const chunk = chunks[i] as string;
      const existing = this.sent[i];
      if (existing?.text === chunk) continue;
      if (!existing) {
        // Only the first message of a reply is a platform "reply"; continuations follow it.
        const target = i === 0 ? this.target : { ...this.target, replyTo: undefined };
        const { id } = await this.transport.send(target, chunk);
        this.sent.push({ id, text: chunk });
        this.onPart({ id, text: chunk });
      } else {
        this.onPart({ id: existing.id, text: chunk });
        await this.transport.edit(this.target, existing.id, chunk);
        existing.text = chunk;
      }
      this.lastWriteAt = Date.now();
    }
    this.written = text;
  }
}
