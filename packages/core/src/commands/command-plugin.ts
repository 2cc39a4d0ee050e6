import type { ChatMessage } from '../messages/chat-message.js';

/** One argument of a command, for parsing and for `!help`. */
export interface CommandArgument {
  readonly name: string;
  readonly required: boolean;
  /** Takes the rest of the line. Only the last argument may. */
  readonly rest?: boolean;
}

/** Who may run a command. */
export type CommandPermission = 'anyone' | 'room-admin';

/**
 * What a command handler can do. The engine provides it; `services` gives access to the
 * conversation state the built-ins need (typed by the engine that provides it).
 */
export interface CommandContext<TServices = unknown> {
  readonly message: ChatMessage;
  /** Parsed arguments by name. */
  readonly args: Readonly<Record<string, string | undefined>>;
  /** The configured command prefix. */
  readonly prefix: string;
  /** Answer in the room (or thread) the command came from. */
  reply(text: string): Promise<void>;
  readonly services: TServices;
}

export interface CommandDefinition<TServices = unknown> {
  readonly name: string;
  readonly aliases?: readonly string[];
  /** One line for `!help`. */
  readonly summary: string;
  readonly args: readonly CommandArgument[];
  readonly permission: CommandPermission;
  run(context: CommandContext<TServices>): void | Promise<void>;
}

/** A set of commands, registered as `Tokens.CommandPlugin` by a command plugin. */
export interface CommandPlugin<TServices = unknown> {
  readonly name: string;
  commands(): readonly CommandDefinition<TServices>[];
}
