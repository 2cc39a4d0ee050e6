import { randomUUID } from 'node:crypto';
import { clearLine, createInterface, cursorTo, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import type {
  BotIdentity,
  ChatMessage,
  InboundHandler,
  Logger,
  OutboundTarget,
  SentMessage,
  Transport,
  TransportCapabilities,
} from '@confab/core';

/** Platform name of every console message. */
export const CONSOLE_PLATFORM = 'console';
/** The one room of the console. */
export const CONSOLE_ROOM_ID = 'console';
/** Platform user id of the local user. */
export const CONSOLE_USER_ID = 'console:user';

/** Platform user id of a mate's identity on the console. */
export function consoleMateUserId(mate: string): string {
  return `console:mate:${mate}`;
}

/** Everything {@link ConsoleTransport} needs; streams are injectable so tests use real `PassThrough`s. */
export interface ConsoleTransportOptions {
  /** Instance name from the config (`transports[].name`). */
  readonly name: string;
  /** Where lines are read from (`process.stdin` in the bot). */
  readonly input: Readable;
  /** Where replies (and, on a terminal, the prompt) are written (`process.stdout` in the bot). */
  readonly output: Writable;
  /** Display name of the local user. */
  readonly user: string;
  /** Prompt shown before each line, only when `output` is a terminal. */
  readonly prompt: string;
  /** Mates that can be addressed with `@name`, in config order. */
  readonly mates: readonly string[];
  /** The mate a line goes to when it does not start with `@name`; defaults to the first of `mates`. */
  readonly defaultMate?: string;
  readonly logger: Logger;
  /**
   * Called once when the input ends (Ctrl-D, or the end of a piped file) while the transport
   * is running. End of input on a console means the user is done; what that means for the
   * process is the application's decision, so the transport only reports it.
   */
  readonly onEnd?: () => void;
}

/**
 * Capabilities of a terminal: no edits (the engine sends each reply once, complete); it has no
 * history and no typing indicator either, so it offers neither method.
 */
const CAPABILITIES: TransportCapabilities = {
  maxMessageLength: 1_000_000,
  edits: false,
  minEditIntervalMs: 0,
};

/**
 * Control strings (OSC, DCS, SOS, PM, APC, in their 7- and 8-bit forms) up to their terminator:
 * a window title or a clipboard write is not text, so its payload goes too.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences are what it matches
const CONTROL_STRING = /(?:\x1b[\]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)/g;
/** C0 and C1 control characters and DEL, but the line feed and the tab. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it matches
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/**
 * A model's text as a terminal may print it: escape sequences (colours, cursor moves, clearing
 * the screen, a title, a reset) and every other control character are removed, so a reply can
 * neither rewrite what is on the screen nor act on the terminal. Line breaks and tabs stay.
 * Node's `stripVTControlCharacters` takes the CSI and short escape sequences; what it leaves of
 * an unusual one is harmless text once its ESC is gone.
 */
function terminalText(text: string): string {
  return stripVTControlCharacters(text.replace(CONTROL_STRING, ''))
    .replace(/\r\n/g, '\n')
    .replace(CONTROL, '');
}

/** A line addressed to a mate: `@name rest of the text`, names in any script as config allows. */
const ADDRESS = /^@([\p{L}\p{N}][\p{L}\p{N}\p{M}_.-]*)[\s,:]+/u;

/**
 * A transport for one local user on stdin/stdout. Each input line is a direct message to a
 * mate; replies are printed as `mate> text`.
 */
export class ConsoleTransport implements Transport {
  readonly name: string;
  readonly platform = CONSOLE_PLATFORM;
  readonly capabilities = CAPABILITIES;

  private readonly options: ConsoleTransportOptions;
  private readonly mates: ReadonlySet<string>;
  private readonly defaultMate: string | undefined;
  private readline: Interface | undefined;
  private stopping = false;
  /** Handlers still running for lines already read; the end of input is reported after them. */
  private readonly pending = new Set<Promise<void>>();
  private readonly interactive: boolean;

  constructor(options: ConsoleTransportOptions) {
    this.options = options;
    this.name = options.name;
    this.mates = new Set(options.mates);
    this.defaultMate = options.defaultMate ?? options.mates[0];
    this.interactive = (options.output as Writable & { isTTY?: boolean }).isTTY === true;
  }

  identities(): readonly BotIdentity[] {
    return [...this.mates].map((mate) => ({ mate, userId: consoleMateUserId(mate), displayName: mate }));
  }

  async start(onMessage: InboundHandler): Promise<void> {
    if (this.readline || this.stopping) return;
    const readline = createInterface({
      input: this.options.input,
      // Only a terminal gets readline's echo and prompt; piped output must carry replies alone.
      output: this.interactive ? this.options.output : undefined,
      terminal: this.interactive,
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    this.readline = readline;
    readline.setPrompt(this.options.prompt);
    readline.on('line', (line) => this.receive(line, onMessage));
    // On a terminal readline reads raw keys, so Ctrl-C arrives here instead of as a signal.
    // Raise it as the signal a terminal would have sent, so the application stops as usual.
    readline.on('SIGINT', () => process.kill(process.pid, 'SIGINT'));
    readline.on('close', () => {
      if (this.stopping) return;
      this.options.logger.info({ transport: this.name }, 'console input ended');
      // `echo hi | confab run` reads the line and the end together: let the engine take the
      // last lines before anyone reacts to the end, or they would be dropped as "stopping".
      void Promise.allSettled([...this.pending]).then(() => this.options.onEnd?.());
    });
    this.prompt();
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.readline?.close();
  }

  async send(target: OutboundTarget, text: string): Promise<SentMessage> {
    const prefix = `${target.mate}> `;
    // Continuation lines are indented under the first so a multi-line reply reads as one block.
    const body = terminalText(text).replace(/\n/g, `\n${' '.repeat(prefix.length)}`);
    if (this.interactive) {
      clearLine(this.options.output, 0);
      cursorTo(this.options.output, 0);
    }
    await new Promise<void>((resolve, reject) => {
      this.options.output.write(`${prefix}${body}\n`, (error) => (error ? reject(error) : resolve()));
    });
    this.prompt();
    return { id: randomUUID() };
  }

  async edit(): Promise<void> {
    throw new Error('the console transport cannot edit messages (capabilities.edits is false)');
  }

  private receive(line: string, onMessage: InboundHandler): void {
    if (this.stopping) return;
    const trimmed = line.trim();
    if (trimmed === '') {
      this.prompt();
      return;
    }
    const addressed = ADDRESS.exec(trimmed);
    const addressedMate =
      addressed?.[1] !== undefined && this.mates.has(addressed[1]) ? addressed[1] : undefined;
    const mate = addressedMate ?? this.defaultMate;
    const message: ChatMessage = {
      id: randomUUID(),
      platform: CONSOLE_PLATFORM,
      transport: this.name,
      roomId: CONSOLE_ROOM_ID,
      isDirect: true,
      sender: { id: CONSOLE_USER_ID, name: this.options.user, isBot: false },
      text: trimmed,
      mentions: addressedMate ? [consoleMateUserId(addressedMate)] : [],
      timestamp: Date.now(),
      ...(mate !== undefined ? { receivedBy: consoleMateUserId(mate) } : {}),
    };
    // Called synchronously so the engine has the message before a following end of input is
    // reported. The handler owns its errors; one that escapes must not end the read loop.
    const handled = (async () => onMessage(message))().catch((error: unknown) => {
      this.options.logger.error({ transport: this.name, err: error }, 'handling a console message failed');
    });
    this.pending.add(handled);
    void handled.finally(() => this.pending.delete(handled));
  }

  private prompt(): void {
    if (this.interactive && !this.stopping) this.readline?.prompt(true);
  }
}
