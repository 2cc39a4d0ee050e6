import { roomKey } from './conversation-key.js';
import type { ChatMessage } from '../messages/chat-message.js';

/**
 * Keeps a room's messages behind the commands that came before them. A command changes what
 * later messages meet (`!start`, `!stop`, `!mate`), but handling it takes awaits (its claim,
 * the store), and a message pasted right after it would otherwise read the room as it was.
 * Messages without a command ahead of them in their room go on at once.
 */
export class CommandOrder {
  /** Per room: settles when every command that came so far has been handled. */
  private readonly pending = new Map<string, Promise<void>>();

  /**
   * Called in arrival order, before anything is awaited for the message. `isCommand` messages
   * hold the room's later messages until `done` is called.
   */
  enter(message: ChatMessage, isCommand: boolean): { ready: Promise<void> | undefined; done(): void } {
    const room = roomKey(message);
    const ahead = this.pending.get(room);
    if (!isCommand) return { ready: ahead, done() {} };
    let done!: () => void;
    const handled = new Promise<void>((resolve) => {
      done = resolve;
    });
    const all = ahead ? Promise.all([ahead, handled]).then(() => {}) : handled;
    this.pending.set(room, all);
    void all.then(() => {
      if (this.pending.get(room) === all) this.pending.delete(room);
    });
    return { ready: ahead, done };
  }
}
