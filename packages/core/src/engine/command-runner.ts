import { bindArguments, type CommandLine, usageLine } from '../commands/command-parser.js';
import type { CommandContext } from '../commands/command-plugin.js';
import type { EngineServices } from '../commands/engine-services.js';
import type { MateConfig } from '../config/schema.js';
import type { ChatMessage } from '../messages/chat-message.js';
import { conversationKeyFor, describeKey, roomKey } from './conversation-key.js';
import type { EngineDeps } from './engine-deps.js';
import { sendNotice } from './notice.js';
import type { Router } from './router.js';
import { replyTarget, type Turn } from './turn.js';

/** What running commands needs from the bot. */
export type CommandRunnerDeps = Pick<
  EngineDeps,
  'config' | 'commands' | 'transports' | 'scheduler' | 'state' | 'events' | 'logger'
> & { readonly router: Router };

/** Runs a command line a person sent: finds the command, checks who may run it, answers. */
export class CommandRunner {
  readonly services: EngineServices;

  constructor(private readonly deps: CommandRunnerDeps) {
    const { config, state, scheduler, commands } = deps;
    this.services = {
      mates: config.mates,
      state,
      scheduler,
      commands: () => commands.all(),
      mateFor: (message, name) => this.mateFor(message, name),
      conversationKey: conversationKeyFor,
      roomKey,
    };
  }

  async run(turn: Turn, line: CommandLine): Promise<void> {
    const { config, commands, events, logger } = this.deps;
    const { message, transport } = turn;
    const prefix = config.commands.prefix;
    const mate = (await this.mateFor(message))?.name ?? config.mates[0]?.name ?? '';
    const log = logger.child({ room: describeKey(turn.room), event: message.id, command: line.name });
    const reply = async (text: string) => {
      await sendNotice(transport, replyTarget(message, mate), text, log);
    };
    const done = (command: string, ok: boolean) => events.emit('command.executed', { message, command, ok });
    const command = commands.find(line.name);
    if (!command) {
      const suggestion = commands.suggest(line.name);
      await reply(
        suggestion
          ? `Unknown command ${prefix}${line.name}. Did you mean ${prefix}${suggestion}? (${prefix}help lists them all)`
          : `Unknown command ${prefix}${line.name}. ${prefix}help lists the commands.`,
      );
      return done(line.name, false);
    }
    if (command.permission === 'room-admin' && !(await this.isAdmin(turn))) {
      await reply(`Only room admins can use ${prefix}${command.name} here.`);
      return done(command.name, false);
    }
    const bound = bindArguments(command, line.rest);
    if (!bound.ok) {
      await reply(`${bound.problem}. Usage: ${usageLine(command, prefix)}`);
      return done(command.name, false);
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
      done(command.name, true);
    } catch (error) {
      log.error({ err: error }, 'command failed');
      await reply(`⚠️ ${prefix}${command.name} failed. The operator can find the details in the log.`);
      done(command.name, false);
    }
  }

  /** The mate a command is about: the one named, else the one addressed, else the room's default. */
  private async mateFor(message: ChatMessage, name?: string): Promise<MateConfig | undefined> {
    const { router, state, transports, config } = this.deps;
    if (name) return router.mate(name);
    const roomState = await state.room(roomKey(message));
    const identities = transports.get(message.transport)?.identities() ?? [];
    const [addressed] = router.route(message, { identities, defaultMate: roomState.defaultMate });
    return addressed ?? router.mate(roomState.defaultMate ?? '') ?? config.mates[0];
  }

  private async isAdmin({ message, transport }: Turn): Promise<boolean> {
    const { config, logger } = this.deps;
    if (config.commands.admins.includes(message.sender.id)) return true;
    if (message.isDirect) return true;
    if (!transport.isRoomAdmin) return config.commands.roomCommands === 'anyone';
    try {
      return await transport.isRoomAdmin(message);
    } catch (error) {
      logger.warn({ err: error, room: message.roomId }, 'could not check room admin rights');
      return false;
    }
  }
}
