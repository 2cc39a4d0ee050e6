import { parseCommandLine } from '../commands/command-parser.js';
import type { MateConfig } from '../config/schema.js';
import type { DropReason } from '../events/events.js';
import type { ChatMessage } from '../messages/chat-message.js';
import type { JobHandle } from '../scheduler/scheduler.js';
import { Admission } from './admission.js';
import { CommandOrder } from './command-order.js';
import { CommandRunner } from './command-runner.js';
import type { EngineDeps } from './engine-deps.js';
import { conversationKeyFor, describeKey } from './conversation-key.js';
import { mateMessage } from './hand-off.js';
import { sendNotice } from './notice.js';
import type { ReplyPart } from './live-reply.js';
import { PlatformHistory } from './platform-history.js';
import { PromptBuilder } from './prompt.js';
import { streamReply } from './reply-stream.js';
import { Router } from './router.js';
import { replyTarget, type Turn } from './turn.js';
import { TurnGuard } from './turn-guard.js';
import { rejectionNotice, restartNotice } from './user-notices.js';

/**
 * The conversation engine: transport → engine → scheduler → backend → engine → transport. A
 * message is admitted (`admission.ts`), run as a command (`command-runner.ts`) or routed to the
 * mates that answer it (`router.ts`); each builds its prompt (`prompt.ts`), the scheduler runs
 * the job, the reply streams into the platform (`reply-stream.ts`), and a finished reply may be
 * handed to the other mates (`hand-off.ts`).
 */
export class Engine {
  private readonly admission: Admission;
  private readonly commandRunner: CommandRunner;
  private readonly router: Router;
  private readonly prompts: PromptBuilder;
  private readonly turns: TurnGuard;
  /** A room's messages wait for the commands sent before them. */
  private readonly commandOrder = new CommandOrder();
  /** What the platforms that keep history delivered, so answers need not read it again. */
  private readonly platform = new PlatformHistory();
  /** The running job per (conversation, user), for superseding; empty unless `engine.supersede`. */
  private readonly latest = new Map<string, JobHandle>();
  private inflight = 0;
  private drained: (() => void)[] = [];
  private accepting = false;

  constructor(private readonly deps: EngineDeps) {
    const { config } = deps;
    this.router = new Router(config.mates);
    this.turns = new TurnGuard(config.engine.botToBot.turnBudget);
    this.admission = new Admission(deps);
    this.commandRunner = new CommandRunner({ ...deps, router: this.router });
    this.prompts = new PromptBuilder(config, deps.state, this.router, this.platform);
  }

  /** Start every transport and accept messages. */
  async start(): Promise<void> {
    this.accepting = true;
    for (const transport of this.deps.transports.all()) {
      await transport.start((message) => this.handle(message));
      this.deps.events.emit('transport.started', { transport: transport.name });
    }
  }

  /** Stop taking messages; replies in progress go on (the scheduler bounds how long). */
  async stopIntake(): Promise<void> {
    this.accepting = false;
  }

  /** Resolves when every reply in progress has been written. */
  async drain(): Promise<void> {
    while (this.inflight > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
  }

  /** Entry point for every inbound message. Never throws. */
  handle(message: ChatMessage): Promise<void> {
    return this.track(message);
  }

  private async track(message: ChatMessage, fromMate?: string): Promise<void> {
    this.inflight++;
    try {
      await this.process(message, fromMate);
    } catch (error) {
      const where = { transport: message.transport, room: message.roomId, event: message.id };
      this.deps.logger.error({ err: error, ...where }, 'engine: message handling failed');
    } finally {
      if (--this.inflight === 0) for (const resolve of this.drained.splice(0)) resolve();
    }
  }

  private async process(message: ChatMessage, fromMate: string | undefined): Promise<void> {
    const { config, events } = this.deps;
    events.emit('message.received', { message });
    // Every message, the mates' echoes too, belongs to the room's history as the platform has it.
    if (fromMate === undefined && this.deps.transports.get(message.transport)?.fetchHistory) {
      this.platform.observe(message);
    }
    if (!this.accepting) return this.drop(message, 'stopping');
    const line = message.sender.isBot ? undefined : parseCommandLine(message.text, config.commands.prefix);
    const order = this.commandOrder.enter(message, line !== undefined && fromMate === undefined);
    try {
      await order.ready;
      const turn = await this.admission.admit(message, fromMate);
      if (turn === undefined) return;
      if (typeof turn === 'string') return this.drop(message, turn);
      if (line && !turn.fromBot) return await this.commandRunner.run(turn, line);
      await this.route(turn);
    } finally {
      order.done();
    }
  }

  private async route(turn: Turn): Promise<void> {
    const { config, events } = this.deps;
    const { message } = turn;
    if (!turn.roomState.active) return this.drop(message, 'room-stopped');
    const mates = this.router
      .route(message, { identities: turn.identities, defaultMate: turn.roomState.defaultMate })
      .filter((mate) => mate.name !== turn.fromMate);
    if (mates.length === 0) return this.drop(message, 'not-addressed');
    if (turn.fromBot) {
      if (!this.turns.claim(turn.room)) return this.drop(message, 'turn-budget');
      const cooldown = config.engine.botToBot.cooldownMs;
      if (cooldown > 0) await new Promise((resolve) => setTimeout(resolve, cooldown));
    } else {
      this.turns.human(turn.room);
    }
    events.emit('message.routed', { message, mates: mates.map((mate) => mate.name) });
    await Promise.all(mates.map((mate) => this.answer(turn, mate)));
  }

  private drop(message: ChatMessage, reason: DropReason): void {
    this.deps.events.emit('message.dropped', { message, reason });
  }

  /** One mate's answer to a turn: its prompt, its job, its streamed reply. */
  private async answer(turn: Turn, mate: MateConfig): Promise<void> {
    const { config, backends, scheduler, state, events, logger } = this.deps;
    const { message, transport } = turn;
    const conversation = conversationKeyFor(message, mate);
    const log = logger.child({ conversation: describeKey(conversation), event: message.id });
    const target = replyTarget(message, mate.name);
    const backend = backends.require(mate.backend);
    const conversationState = await state.conversation(conversation);
    const chosen = conversationState.profile;
    const profile = chosen && backend.profiles().includes(chosen) ? chosen : mate.profile;
    const request = { turn, mate, conversation, state: conversationState, backend, profile };
    const prompt = await this.prompts.build(request, log);
    const { job } = prompt;
    // Streamed by edits, the platform's echo of a reply has only its first fragment.
    const onPart = (part: ReplyPart) => {
      if (transport.fetchHistory) this.platform.record(mateMessage(turn, mate, part));
    };
    let replySaved: Promise<void> | undefined;
    try {
      // A `!stop` run while this message was on its way here silences it too; from here on,
      // `!stop` cancels its job.
      if ((await state.room(turn.room)).active === false) return this.drop(message, 'room-stopped');
      // Only a person's newer message supersedes, and only where the config says so.
      const supersedes = config.engine.supersede && !turn.fromBot;
      const latestKey = `${conversation}\u001d${message.sender.id}`;
      if (supersedes) this.latest.get(latestKey)?.cancel('superseded by a newer message');
      const submitted = scheduler.submit(job);
      if (!submitted.accepted) {
        const { rejection } = submitted;
        events.emit('job.rejected', { jobId: job.id, conversation, reason: rejection.reason });
        log.warn({ rejection }, 'job refused');
        const notice = rejectionNotice(rejection);
        const sent = await sendNotice(transport, target, notice, log);
        if (sent) onPart({ id: sent.id, text: notice });
        return;
      }
      const { handle } = submitted;
      if (supersedes) this.latest.set(latestKey, handle);
      const reply = await streamReply(handle, { transport, target, log, onPart }).finally(() => {
        if (this.latest.get(latestKey) === handle) this.latest.delete(latestKey);
      });
      if (reply.aborted && reply.text.length === 0) {
        // Cancelled while it waited because the bot is stopping: its author is told, not left waiting.
        if (!this.accepting) await sendNotice(transport, target, restartNotice(), log);
        return;
      }
      const firstId = reply.messageIds[0];
      if (prompt.storesHistory && !reply.failure && reply.text.length > 0) {
        replySaved = this.prompts.rememberReply(
          request,
          { id: firstId ?? `${message.id}:reply`, text: reply.text },
          log,
        );
      }
      const { messageIds, text } = reply;
      events.emit('reply.sent', { jobId: job.id, conversation, messageIds, text });
      // Only where mates may answer each other does a finished reply go back to them.
      const handOff = turn.botToBot && config.mates.length > 1 && !reply.failure && !reply.aborted;
      if (handOff && firstId !== undefined)
        void this.track(mateMessage(turn, mate, { id: firstId, text }), mate.name);
    } finally {
      await prompt.saved;
      await replySaved;
    }
  }
}
