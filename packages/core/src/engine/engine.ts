import { inject, injectable } from 'tsyringe';
import type { Backend, BackendErrorKind, BackendMessage } from '../backend/backend.js';
import { ChurnMap } from '../collections/churn-map.js';
import { bindArguments, parseCommandLine, usageLine } from '../commands/command-parser.js';
import type { CommandContext } from '../commands/command-plugin.js';
import type { CommandRegistry } from '../commands/command-registry.js';
import type { EngineServices } from '../commands/engine-services.js';
import type { ConfabConfig, MateConfig } from '../config/schema.js';
import type { EventBus } from '../events/event-bus.js';
import type { DropReason } from '../events/events.js';
import { DeferredChildLogger } from '../logging/deferred-child.js';
import type { Logger } from '../logging/logger.js';
import type { BotIdentity, ChatMessage } from '../messages/chat-message.js';
import type { BackendRegistry, TransportRegistry } from '../runtime/registries.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { EventLedger } from '../store/event-ledger.js';
import { Tokens } from '../tokens.js';
import type { OutboundTarget, Transport } from '../transport/transport.js';
import type { BotState, StoredMessage } from './bot-state.js';
import { conversationKeyOf, describeKey, roomKey } from './conversation-key.js';
import { readHistory, usesPlatformHistory } from './history-reader.js';
import { IntakeGate, type IntakeTicket } from './intake-gate.js';
import { LiveReply } from './live-reply.js';
import type { RoomState } from './room-state.js';
import { type Route, Router } from './router.js';
import { trimToBudget } from './token-budget.js';
import { TurnGuard } from './turn-guard.js';
import { failureNotice, rejectionNotice } from './user-notices.js';

/** DI token of the engine's {@link BotState}. */
export const BotStateToken = Symbol.for('confab.BotState');
/** DI token of the engine's {@link EventLedger}. */
export const EventLedgerToken = Symbol.for('confab.EventLedger');

// Tokens reserved for the answer when the backend does not say how long replies may be.
const DEFAULT_REPLY_RESERVE = 512;
const TYPING_REFRESH_MS = 8000;

/**
 * The conversation engine: transport → engine → scheduler → backend → engine → transport.
 * It drops echoes and duplicates, runs commands, routes messages to mates, builds each
 * conversation's history within the model's budget, and streams replies back.
 */
@injectable()
export class Engine {
  private readonly router: Router;
  private readonly turns: TurnGuard;
  /** Messages being handled; `drain` waits for it to reach 0. */
  private inflight = 0;
  private drained: (() => void)[] = [];
  /** Running job per (conversation, user), for superseding; empty unless `engine.supersede`. */
  private readonly latest = new ChurnMap<{ cancel(reason: string): void }>();
  private accepting = false;
  /** Admits inbound messages a few at a time, in the order they came. */
  private readonly intake: IntakeGate;
  readonly services: EngineServices;

  constructor(
    @inject(Tokens.Config) private readonly config: ConfabConfig,
    @inject(Tokens.Transports) private readonly transports: TransportRegistry,
    @inject(Tokens.Backends) private readonly backends: BackendRegistry,
    @inject(Tokens.Scheduler) private readonly scheduler: Scheduler,
    @inject(Tokens.Commands) private readonly commands: CommandRegistry,
    @inject(BotStateToken) private readonly state: BotState,
    @inject(EventLedgerToken) private readonly ledger: EventLedger,
    @inject(Tokens.EventBus) private readonly events: EventBus,
    @inject(Tokens.Logger) private readonly logger: Logger,
  ) {
    this.router = new Router(config.mates);
    this.turns = new TurnGuard(config.engine.botToBot.turnBudget);
    this.intake = new IntakeGate(config.engine.intake);
    this.services = {
      mates: config.mates,
      state,
      scheduler,
      botToBotDefault: config.engine.botToBot.enabled,
      commands: () => this.commands.all(),
      mateFor: (message, name) => this.mateFor(message, name),
      conversationKey: (message, mate) => this.keyFor(message, mate),
      roomKey: (message) => roomKey(message),
      now: () => Date.now(),
    };
  }

  /** Start every transport and accept messages. */
  async start(): Promise<void> {
    this.accepting = true;
    for (const transport of this.transports.all()) {
      await transport.start((message) => this.handle(message));
      this.events.emit('transport.started', { transport: transport.name });
    }
  }

  /** Stop intake, then let in-flight replies end (the scheduler bounds how long). */
  async stopIntake(): Promise<void> {
    this.accepting = false;
  }

  /** Resolves when every reply in progress has been written. */
  async drain(): Promise<void> {
    while (this.inflight > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
  }

  async stopTransports(): Promise<void> {
    for (const transport of this.transports.all()) {
      try {
        await transport.stop();
        this.events.emit('transport.stopped', { transport: transport.name });
      } catch (error) {
        this.logger.warn({ err: error, transport: transport.name }, 'transport did not stop cleanly');
      }
    }
  }

  /** Entry point for every inbound message. Never throws. */
  handle(message: ChatMessage): Promise<void> {
    return this.track(message, undefined);
  }

  private async track(message: ChatMessage, fromMate: string | undefined): Promise<void> {
    this.inflight++;
    try {
      await this.process(message, fromMate);
    } catch (error) {
      this.logger.error(
        { err: error, transport: message.transport, room: message.roomId, event: message.id },
        'engine: message handling failed',
      );
    } finally {
      if (--this.inflight === 0 && this.drained.length > 0) {
        const waiters = this.drained;
        this.drained = [];
        for (const resolve of waiters) resolve();
      }
    }
  }

  /**
   * `fromMate` is set for a mate's finished reply handed to the other mates (bot-to-bot talk).
   * The platform's echoes of the mates' own messages are always dropped: with streaming by
   * edits they carry only the first fragment, and the engine knows the final text itself.
   */
  private async process(message: ChatMessage, fromMate: string | undefined): Promise<void> {
    if (this.events.hasListeners('message.received')) this.events.emit('message.received', { message });
    if (!this.accepting) return this.drop(message, 'stopping');
    const transport = this.transports.get(message.transport);
    if (!transport) {
      this.logger.warn(
        { transport: message.transport, event: message.id },
        'message from an unknown transport',
      );
      return;
    }
    const identities = transport.identities();
    const senderMate = fromMate ?? identityOf(identities, message.sender.id)?.mate;
    if (senderMate !== undefined && fromMate === undefined) return this.drop(message, 'own-echo');
    const fromBot = message.sender.isBot || senderMate !== undefined;
    const room = roomKey(message);
    const roomState = this.state.cachedRoom(room) ?? (await this.state.room(room));
    const botToBot = roomState.botToBot ?? this.config.engine.botToBot.enabled;
    if (fromBot && !botToBot) return this.drop(message, 'bot-sender');
    if (!(await this.ledger.claim(message.transport, message.id))) return this.drop(message, 'duplicate');
    // Claimed first: a claim waits for the store's commit, which takes no place.
    const entered = this.intake.enter();
    const place = entered instanceof Promise ? await entered : entered;
    try {
      await this.respond(
        message,
        transport,
        identities,
        senderMate,
        fromBot,
        room,
        roomState,
        botToBot,
        place,
      );
    } finally {
      place.release();
    }
  }

  /** A claimed message, holding its place at intake: a command, or the mates' answers. */
  private async respond(
    message: ChatMessage,
    transport: Transport,
    identities: readonly BotIdentity[],
    senderMate: string | undefined,
    fromBot: boolean,
    room: string,
    roomState: RoomState,
    botToBot: boolean,
    place: IntakeTicket,
  ): Promise<void> {
    const command = fromBot ? undefined : parseCommandLine(message.text, this.config.commands.prefix);
    if (command) return this.runCommand(message, command.name, command.rest, transport);
    if (!roomState.active) return this.drop(message, 'room-stopped');

    const routed = this.router.route(message, { identities, defaultMate: roomState.defaultMate });
    const routes = senderMate === undefined ? routed : routed.filter((r) => r.mate.name !== senderMate);
    if (routes.length === 0) return this.drop(message, 'not-addressed');
    if (fromBot) {
      if (!this.turns.claim(room)) return this.drop(message, 'turn-budget');
      const cooldown = this.config.engine.botToBot.cooldownMs;
      if (cooldown > 0) {
        place.release();
        await new Promise((resolve) => setTimeout(resolve, cooldown));
      }
    } else {
      this.turns.human(room);
    }
    if (this.events.hasListeners('message.routed')) {
      this.events.emit('message.routed', { message, mates: routes.map((r) => r.mate.name) });
    }
    // Only where mates may answer each other does a finished reply go back to them.
    const handOff = botToBot && this.config.mates.length > 1;
    if (routes.length === 1) {
      await this.answer(message, routes[0] as Route, room, transport, identities, fromBot, handOff, place);
      return;
    }
    await Promise.all(
      routes.map((route) =>
        this.answer(message, route, room, transport, identities, fromBot, handOff, place),
      ),
    );
  }

  private drop(message: ChatMessage, reason: DropReason): void {
    if (this.events.hasListeners('message.dropped')) this.events.emit('message.dropped', { message, reason });
  }

  private keyFor(message: ChatMessage, mate: MateConfig): string {
    return conversationKeyOf(
      message.transport,
      message.roomId,
      message.threadId,
      mate.name,
      mate.scope === 'per-user' ? message.sender.id : undefined,
    );
  }

  private async answer(
    message: ChatMessage,
    route: Route,
    room: string,
    transport: Transport,
    identities: readonly BotIdentity[],
    fromBot: boolean,
    handOff: boolean,
    place: IntakeTicket,
  ): Promise<void> {
    const { mate } = route;
    const conversation = this.keyFor(message, mate);
    const log: Logger = new DeferredChildLogger(this.logger, () => ({
      conversation: describeKey(conversation),
      event: message.id,
    }));
    const target: OutboundTarget = {
      transport: message.transport,
      roomId: message.roomId,
      ...(message.threadId !== undefined ? { threadId: message.threadId } : {}),
      isDirect: message.isDirect,
      mate: mate.name,
      replyTo: message.id,
    };
    const backend = this.backends.get(mate.backend) as Backend;
    const convState = await this.state.conversation(conversation);
    const profile =
      convState.profile && backend.profiles().includes(convState.profile) ? convState.profile : mate.profile;
    const address = this.router.address(message.text);
    const identity = mateIdentity(identities, mate.name);
    // Who the mate's replies come from, in the history and when handed to the other mates.
    const mateUserId = identity?.userId ?? `mate:${mate.name}`;
    const storeHistory = !usesPlatformHistory(mate, transport);

    const history = await readHistory(
      {
        transport,
        mate,
        identity,
        conversation,
        state: convState,
        current: message,
        currentText: address?.mate.name === mate.name ? address.rest : message.text,
        commandPrefix: this.config.commands.prefix,
        unaddressed: (text) => {
          const addressed = this.router.address(text);
          return addressed?.mate.name === mate.name ? addressed.rest : text;
        },
      },
      this.state,
    );
    // Written while the answer is made: the job takes its history from the cache, not the store.
    const saved = storeHistory
      ? this.saveHistory(
          conversation,
          userMessageOf(message, history[history.length - 1] as BackendMessage),
          log,
        )
      : undefined;
    let replySaved: Promise<void> | undefined;
    try {
      // Room for the answer, but never more than half the context, so small contexts keep history.
      const contextTokens = backend.capacity(profile).contextTokens;
      const reserve = Math.min(
        mate.sampling.maxTokens ?? DEFAULT_REPLY_RESERVE,
        Math.floor(contextTokens / 2),
      );
      const budget = Math.max(1, contextTokens - reserve);
      const messages = await trimToBudget(backend, profile, mate.system, history, budget);

      // A `!stop` run while this message was on its way here (its claim, its wait at intake, the
      // reads of its history) silences it as well: from here on, `!stop` cancels its job.
      if (this.state.cachedRoom(room)?.active === false) return this.drop(message, 'room-stopped');
      // Only a person's newer message supersedes, and only where the config says so.
      const supersedeKey =
        this.config.engine.supersede && !fromBot ? `${conversation}\u001d${message.sender.id}` : undefined;
      if (supersedeKey !== undefined) this.latest.get(supersedeKey)?.cancel('superseded by a newer message');
      const submitted = this.scheduler.submit({
        id: `${message.transport}:${message.id}:${mate.name}`,
        backend: mate.backend,
        profile,
        conversation,
        user: `${message.transport}:${message.sender.id}`,
        room,
        priority: fromBot ? 'bot' : 'human',
        system: mate.system,
        messages,
        sampling: mate.sampling,
      });
      if (!submitted.accepted) {
        this.events.emit('job.rejected', {
          jobId: `${message.transport}:${message.id}:${mate.name}`,
          conversation,
          reason: submitted.rejection.reason,
        });
        log.warn({ rejection: submitted.rejection }, 'job refused');
        await this.notify(transport, target, rejectionNotice(submitted.rejection), log);
        return;
      }
      const { handle } = submitted;
      if (supersedeKey !== undefined) this.latest.set(supersedeKey, handle);
      // A job that waits for a worker leaves its place to messages that can go on meanwhile.
      if (handle.waiting ? handle.waiting() : handle.position() > 0) place.release();
      const typing = this.startTyping(transport, target, log);
      const reply = new LiveReply(transport, target, log);
      let failure: BackendErrorKind | undefined;
      let aborted = false;
      try {
        for await (const part of handle.parts) {
          if (part.type === 'text-delta') reply.append(part.text);
          else if (part.type === 'error') {
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
        if (supersedeKey !== undefined && this.latest.get(supersedeKey) === handle)
          this.latest.delete(supersedeKey);
      }
      const notice = failure ? failureNotice(failure) : undefined;
      if (failure && reply.content.length > 0) {
        await reply.finish();
        await this.notify(
          transport,
          { ...target, replyTo: undefined } as OutboundTarget,
          notice as string,
          log,
        );
      } else if (aborted && reply.content.length === 0) {
        return;
      } else {
        await reply.finish(notice);
      }
      if (storeHistory && !failure && reply.content.length > 0) {
        replySaved = this.saveHistory(
          conversation,
          Object.freeze({
            id: reply.firstMessageId ?? `${message.id}:reply`,
            timestamp: Math.max(Date.now(), message.timestamp + 1),
            senderId: mateUserId,
            role: 'assistant' as const,
            content: reply.content,
          }),
          log,
        );
      }
      if (this.events.hasListeners('reply.sent'))
        this.events.emit('reply.sent', {
          jobId: handle.id,
          conversation,
          messageIds: reply.messageIds,
          text: reply.content,
        });
      if (handOff && !failure && !aborted && reply.firstMessageId !== undefined) {
        // Offer the finished reply to the other mates; process() applies the room's bot-to-bot rules.
        const turn: ChatMessage = {
          id: reply.firstMessageId,
          platform: message.platform,
          transport: message.transport,
          roomId: message.roomId,
          ...(message.threadId !== undefined ? { threadId: message.threadId } : {}),
          isDirect: message.isDirect,
          sender: {
            id: mateUserId,
            name: identity?.displayName ?? mate.name,
            isBot: true,
          },
          text: reply.content,
          mentions: [],
          replyTo: { messageId: message.id, senderId: message.sender.id },
          timestamp: Date.now(),
        };
        void this.track(turn, mate.name);
      }
    } finally {
      // Waiting for the store's commits takes no place at intake.
      place.release();
      await saved;
      await replySaved;
    }
  }

  /**
   * Stores a message of a conversation's history. The cache has it at once; a failed write is
   * logged, and the answer goes ahead without it.
   */
  private saveHistory(conversation: string, message: StoredMessage, log: Logger): Promise<void> {
    return this.state.appendHistory(conversation, message).catch((error: unknown) => {
      log.error({ err: error }, 'history: message not stored');
    });
  }

  private startTyping(transport: Transport, target: OutboundTarget, log: Logger): { stop(): void } {
    if (!transport.capabilities.typing || !transport.typing) return NO_TYPING;
    const send = (active: boolean) =>
      transport
        .typing?.(target, active)
        .catch((error: unknown) => log.debug({ err: error }, 'typing indicator failed'));
    void send(true);
    const timer = setInterval(() => void send(true), TYPING_REFRESH_MS);
    return {
      stop() {
        clearInterval(timer);
        void send(false);
      },
    };
  }

  private async notify(
    transport: Transport,
    target: OutboundTarget,
    text: string,
    log: Logger,
  ): Promise<void> {
    try {
      await transport.send(target, text);
    } catch (error) {
      log.warn({ err: error }, 'could not send a notice');
    }
  }

  private async mateFor(message: ChatMessage, name?: string) {
    if (name) return this.router.mate(name);
    const transport = this.transports.get(message.transport);
    const roomState = await this.state.room(roomKey(message));
    const routes = this.router.route(message, {
      identities: transport?.identities() ?? [],
      ...(roomState.defaultMate ? { defaultMate: roomState.defaultMate } : {}),
    });
    return routes[0]?.mate ?? this.router.mate(roomState.defaultMate ?? '') ?? this.config.mates[0];
  }

  private async runCommand(
    message: ChatMessage,
    name: string,
    rest: string,
    transport: Transport,
  ): Promise<void> {
    const prefix = this.config.commands.prefix;
    const target: OutboundTarget = {
      transport: message.transport,
      roomId: message.roomId,
      ...(message.threadId !== undefined ? { threadId: message.threadId } : {}),
      isDirect: message.isDirect,
      mate: (await this.mateFor(message))?.name ?? this.config.mates[0]?.name ?? '',
      replyTo: message.id,
    };
    const log = this.logger.child({ room: describeKey(roomKey(message)), event: message.id, command: name });
    const reply = (text: string) => this.notify(transport, target, text, log);
    const command = this.commands.find(name);
    if (!command) {
      const suggestion = this.commands.suggest(name);
      await reply(
        suggestion
          ? `Unknown command ${prefix}${name}. Did you mean ${prefix}${suggestion}? (${prefix}help lists them all)`
          : `Unknown command ${prefix}${name}. ${prefix}help lists the commands.`,
      );
      this.events.emit('command.executed', { message, command: name, ok: false });
      return;
    }
    if (command.permission === 'room-admin' && !(await this.isAdmin(message, transport))) {
      await reply(`Only room admins can use ${prefix}${command.name} here.`);
      this.events.emit('command.executed', { message, command: command.name, ok: false });
      return;
    }
    const bound = bindArguments(command, rest);
    if (!bound.ok) {
      await reply(`${bound.problem}. Usage: ${usageLine(command, prefix)}`);
      this.events.emit('command.executed', { message, command: command.name, ok: false });
      return;
    }
    const context: CommandContext<EngineServices> = {
      message,
      args: bound.args,
      prefix,
      reply,
      services: this.services,
    };
    try {
      await command.run(context);
      this.events.emit('command.executed', { message, command: command.name, ok: true });
    } catch (error) {
      log.error({ err: error }, 'command failed');
      await reply(`⚠️ ${prefix}${command.name} failed. The operator can find the details in the log.`);
      this.events.emit('command.executed', { message, command: command.name, ok: false });
    }
  }

  private async isAdmin(message: ChatMessage, transport: Transport): Promise<boolean> {
    if (this.config.commands.admins.includes(message.sender.id)) return true;
    if (message.isDirect) return true;
    if (transport.isRoomAdmin) {
      try {
        return await transport.isRoomAdmin(message, message.sender.id);
      } catch (error) {
        this.logger.warn({ err: error, room: message.roomId }, 'could not check room admin rights');
        return false;
      }
    }
    return this.config.commands.roomCommands === 'anyone';
  }
}

/** The typing indicator of a transport that shows none. */
const NO_TYPING = { stop() {} };

function identityOf(identities: readonly BotIdentity[], userId: string): BotIdentity | undefined {
  for (const identity of identities) if (identity.userId === userId) return identity;
  return undefined;
}

function mateIdentity(identities: readonly BotIdentity[], mate: string): BotIdentity | undefined {
  for (const identity of identities) if (identity.mate === mate) return identity;
  return undefined;
}

/** The stored form of a user's message, as the backend gets it (`said`). */
function userMessageOf(message: ChatMessage, said: BackendMessage): StoredMessage {
  // Frozen: the cache and a memory store can then both keep this one object.
  return Object.freeze({
    id: message.id,
    timestamp: message.timestamp,
    senderId: message.sender.id,
    role: said.role,
    content: said.content,
    // Always present (undefined when unnamed), so every stored message has one shape.
    name: said.name,
  });
}
