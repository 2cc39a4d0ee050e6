import { randomUUID } from 'node:crypto';
import type {
  BotIdentity,
  ChatLocation,
  ChatMessage,
  HistoryQuery,
  InboundHandler,
  OutboundTarget,
  SentMessage,
  Transport,
  TransportCapabilities,
} from '@confab/core';

/** One message as the memory transport keeps it, with every text it had. */
export interface MemoryMessage {
  readonly id: string;
  readonly location: ChatLocation;
  readonly sender: { id: string; name: string; isBot: boolean };
  readonly mate?: string;
  /** Current text (after edits). */
  text: string;
  /** Every text the message had, first to last. */
  readonly revisions: string[];
  readonly replyTo?: string;
  readonly timestamp: number;
}

/** A call the engine made, with the time it made it. */
export interface MemoryCall {
  readonly op: 'send' | 'edit' | 'typing';
  readonly at: number;
  readonly target: OutboundTarget;
  readonly messageId?: string;
  readonly text?: string;
  readonly active?: boolean;
}

/** A history read the engine made, with the time it made it. */
export interface MemoryHistoryRead {
  readonly at: number;
  readonly location: ChatLocation;
  readonly query: HistoryQuery;
}

/** Options of {@link MemoryTransport}. */
export interface MemoryTransportOptions {
  readonly name?: string;
  readonly platform?: string;
  /** Mates hosted, each as its own bot user `bot:<mate>`. */
  readonly mates?: readonly string[];
  readonly capabilities?: Partial<TransportCapabilities>;
  /** Whether the platform keeps history (offers `fetchHistory`), as Discord does. Default false. */
  readonly history?: boolean;
  /** Whether the platform shows typing indicators (offers `typing`). Default true. */
  readonly typing?: boolean;
  /** Deliver the bots' own messages back as inbound events, as real platforms do. Default true. */
  readonly echo?: boolean;
  /** User ids that count as room admins. */
  readonly admins?: readonly string[];
  /**
   * Keep at most about this many messages and calls (the oldest go first), for load tests that
   * would otherwise measure their own bookkeeping. Unlimited by default.
   */
  readonly retain?: number;
}

/** Partial inbound message for {@link MemoryTransport.inject}. */
export interface InjectedMessage {
  readonly text: string;
  readonly from?: string;
  readonly fromName?: string;
  readonly isBot?: boolean;
  readonly roomId?: string;
  readonly threadId?: string;
  readonly isDirect?: boolean;
  readonly mentions?: readonly string[];
  readonly replyTo?: string;
  readonly id?: string;
  readonly receivedBy?: string;
  readonly timestamp?: number;
  /**
   * Whether the message reaches the engine; false: it lands in the room's history only, as a
   * message posted while a real transport was disconnected. Default true.
   */
  readonly deliver?: boolean;
}

const NO_MENTIONS: readonly string[] = Object.freeze([]);

const DEFAULT_CAPABILITIES: TransportCapabilities = {
  maxMessageLength: 2000,
  edits: true,
  minEditIntervalMs: 0,
};

/**
 * An in-memory chat platform: inject messages as users, read what the mates posted. For engine
 * tests and for plugin authors' tests.
 */
export class MemoryTransport implements Transport {
  readonly name: string;
  readonly platform: string;
  readonly capabilities: TransportCapabilities;
  readonly messages: MemoryMessage[] = [];
  readonly calls: MemoryCall[] = [];
  /** Every `fetchHistory` call, oldest first. */
  readonly historyReads: MemoryHistoryRead[] = [];
  /** Present when the `history` option is on. */
  readonly fetchHistory?: (message: ChatMessage, query: HistoryQuery) => Promise<ChatMessage[]>;
  /** Present unless the `typing` option is off. */
  readonly typing?: (target: OutboundTarget, active: boolean) => Promise<void>;
  private epoch = 0;
  private handler: InboundHandler | undefined;
  private readonly mates: readonly string[];
  private readonly identityList: readonly BotIdentity[];
  private readonly echo: boolean;
  private readonly admins: ReadonlySet<string>;
  private readonly retain: number;
  /** Messages the mates have sent since the start, also those no longer retained. */
  sentCount = 0;
  private seq = 0;
  // Ids stay unique across transport instances, as platform ids do, so restarts never collide.
  private readonly idPrefix = randomUUID().slice(0, 8);
  private clock = 0;
  private readonly waiters = new Set<() => void>();
  /** Errors the inbound handler threw; a healthy engine never throws. */
  readonly handlerErrors: unknown[] = [];

  constructor(options: MemoryTransportOptions = {}) {
    this.name = options.name ?? 'memory';
    this.platform = options.platform ?? 'memory';
    this.capabilities = { ...DEFAULT_CAPABILITIES, ...options.capabilities };
    this.mates = options.mates ?? [];
    this.identityList = this.mates.map((mate) => ({
      mate,
      userId: MemoryTransport.botId(mate),
      displayName: mate,
    }));
    this.echo = options.echo ?? true;
    this.admins = new Set(options.admins ?? []);
    this.retain = options.retain ?? Number.POSITIVE_INFINITY;
    if (options.history) this.fetchHistory = (message, query) => this.readHistory(message, query);
    if (options.typing ?? true) {
      this.typing = async (target, active) => {
        this.calls.push({ op: 'typing', at: Date.now(), target, active });
      };
    }
  }

  async start(onMessage: InboundHandler): Promise<void> {
    this.handler = onMessage;
  }

  async stop(): Promise<void> {
    this.handler = undefined;
  }

  /** Whether the transport has been started and not stopped. */
  get running(): boolean {
    return this.handler !== undefined;
  }

  identities(): readonly BotIdentity[] {
    return this.identityList;
  }

  /** The bot user id the transport gives a mate. */
  static botId(mate: string): string {
    return `bot:${mate}`;
  }

  /** Deliver a message from a user; resolves when the engine's handler returned. */
  async inject(input: InjectedMessage): Promise<ChatMessage> {
    const roomId = input.roomId ?? 'room';
    const replied = input.replyTo ? this.byId(input.replyTo) : undefined;
    // Written out field by field (absent ones as undefined), as a platform adapter would.
    const message: ChatMessage = {
      id: input.id ?? this.nextId(),
      platform: this.platform,
      transport: this.name,
      roomId,
      threadId: input.threadId,
      isDirect: input.isDirect ?? false,
      sender: {
        id: input.from ?? 'user:alice',
        name: input.fromName ?? input.from ?? 'alice',
        isBot: input.isBot ?? false,
      },
      text: input.text,
      mentions: input.mentions ?? NO_MENTIONS,
      replyTo:
        input.replyTo === undefined ? undefined : { messageId: input.replyTo, senderId: replied?.sender.id },
      timestamp: input.timestamp ?? this.now(),
      receivedBy: input.receivedBy,
    };
    this.record(message, undefined);
    if (input.deliver ?? true) await this.deliver(message);
    return message;
  }

  /**
   * What a reconnect that lost events looks like to the engine: {@link historyEpoch} changes, so
   * history kept from delivered messages is read from the platform again.
   */
  reportGap(): void {
    this.epoch++;
  }

  historyEpoch(_location: ChatLocation): number {
    return this.epoch;
  }

  /** Deliver an already-built message again (a replay after a reconnect). */
  async replay(message: ChatMessage): Promise<void> {
    await this.deliver(message);
  }

  async send(target: OutboundTarget, text: string): Promise<SentMessage> {
    this.checkLength(text);
    const id = this.nextId();
    this.sentCount++;
    this.calls.push({ op: 'send', at: Date.now(), target, messageId: id, text });
    const message: ChatMessage = {
      id,
      platform: this.platform,
      transport: this.name,
      roomId: target.roomId,
      threadId: target.threadId,
      isDirect: target.isDirect,
      sender: { id: MemoryTransport.botId(target.mate), name: target.mate, isBot: true },
      text,
      mentions: NO_MENTIONS,
      replyTo:
        target.replyTo === undefined
          ? undefined
          : { messageId: target.replyTo, senderId: this.byId(target.replyTo)?.sender.id },
      timestamp: this.now(),
    };
    this.record(message, target.mate);
    this.notify();
    if (this.echo) queueMicrotask(() => void this.deliver(message));
    return { id };
  }

  async edit(target: OutboundTarget, messageId: string, text: string): Promise<void> {
    if (!this.capabilities.edits) throw new Error('memory transport: edits are disabled');
    this.checkLength(text);
    const message = this.byId(messageId);
    if (!message) throw new Error(`memory transport: no message ${messageId}`);
    this.calls.push({ op: 'edit', at: Date.now(), target, messageId, text });
    message.text = text;
    message.revisions.push(text);
    this.notify();
  }

  private async readHistory(message: ChatMessage, query: HistoryQuery): Promise<ChatMessage[]> {
    const location: ChatLocation = {
      transport: message.transport,
      roomId: message.roomId,
      threadId: message.threadId,
      isDirect: message.isDirect,
    };
    this.historyReads.push({ at: Date.now(), location, query });
    const inRoom = this.messages.filter(
      (m) =>
        m.location.roomId === location.roomId &&
        (m.location.threadId ?? '') === (location.threadId ?? '') &&
        (query.after?.timestamp === undefined || m.timestamp > query.after.timestamp),
    );
    return inRoom.slice(-query.limit).map((m) => this.toChatMessage(m));
  }

  async isRoomAdmin(message: ChatMessage): Promise<boolean> {
    return this.admins.has(message.sender.id);
  }

  /** Messages the mates posted, optionally in one room, oldest first. */
  botMessages(roomId?: string): MemoryMessage[] {
    return this.messages.filter(
      (m) => m.mate !== undefined && (roomId === undefined || m.location.roomId === roomId),
    );
  }

  /** Resolves when `predicate` holds, checking after each send and edit; rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (predicate()) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`memory transport: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  /** Resolves once the mates have posted `count` messages (in a room, when given). */
  waitForBotMessages(count: number, roomId?: string, timeoutMs = 5000): Promise<MemoryMessage[]> {
    return this.waitFor(() => this.botMessages(roomId).length >= count, timeoutMs).then(() =>
      this.botMessages(roomId),
    );
  }

  private async deliver(message: ChatMessage): Promise<void> {
    if (!this.handler) return;
    try {
      await this.handler(message);
    } catch (error) {
      this.handlerErrors.push(error);
    }
  }

  private record(message: ChatMessage, mate: string | undefined): void {
    // Written out field by field (absent ones as undefined): one shape for every record.
    const recorded: MemoryMessage = {
      id: message.id,
      location: {
        transport: this.name,
        roomId: message.roomId,
        threadId: message.threadId,
        isDirect: message.isDirect,
      },
      sender: { id: message.sender.id, name: message.sender.name, isBot: message.sender.isBot },
      mate,
      text: message.text,
      revisions: [message.text],
      replyTo: message.replyTo?.messageId,
      timestamp: message.timestamp,
    };
    this.messages.push(recorded);
    if (this.messages.length > 2 * this.retain) {
      this.messages.splice(0, this.messages.length - this.retain);
      this.calls.splice(0, Math.max(0, this.calls.length - this.retain));
      this.historyReads.splice(0, Math.max(0, this.historyReads.length - this.retain));
    }
  }

  /**
   * A recorded message by id, searched from the newest: replies and edits are to recent ones.
   */
  private byId(messageId: string): MemoryMessage | undefined {
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const message = this.messages[i] as MemoryMessage;
      if (message.id === messageId) return message;
    }
    return undefined;
  }

  private toChatMessage(m: MemoryMessage): ChatMessage {
    return {
      id: m.id,
      platform: this.platform,
      transport: this.name,
      roomId: m.location.roomId,
      ...(m.location.threadId !== undefined ? { threadId: m.location.threadId } : {}),
      isDirect: m.location.isDirect,
      sender: m.sender,
      text: m.text,
      mentions: [],
      ...(m.replyTo !== undefined ? { replyTo: { messageId: m.replyTo, ...this.senderOf(m.replyTo) } } : {}),
      timestamp: m.timestamp,
    };
  }

  private senderOf(messageId: string): { senderId?: string } {
    const found = this.byId(messageId);
    return found ? { senderId: found.sender.id } : {};
  }

  private checkLength(text: string): void {
    if (text.length > this.capabilities.maxMessageLength) {
      throw new Error(
        `memory transport: ${text.length} characters exceed the limit of ${this.capabilities.maxMessageLength}`,
      );
    }
    if (text.length === 0) throw new Error('memory transport: empty message');
  }

  private nextId(): string {
    return `${this.idPrefix}-${++this.seq}`;
  }

  /** Strictly increasing timestamps, so ordering by time is ordering by arrival. */
  private now(): number {
    this.clock = Math.max(this.clock + 1, Date.now());
    return this.clock;
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
