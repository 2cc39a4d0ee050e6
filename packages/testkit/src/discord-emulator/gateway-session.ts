import type { WebSocket } from 'ws';
import type { EmulatedBot } from './emulator-model.js';

/** Gateway opcodes the emulator speaks. */
export const GatewayOp = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  Resume: 6,
  Reconnect: 7,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;

interface Dispatched {
  readonly s: number;
  readonly text: string;
}

// Enough for any test's disconnect window; Discord itself keeps a bounded backlog too.
const BACKLOG = 2000;

/**
 * One gateway session of a bot: its sequence numbers and the dispatches it was sent, so that a
 * client that comes back with RESUME gets exactly the events it missed, as on Discord.
 */
export class GatewaySession {
  private seq = 0;
  private readonly backlog: Dispatched[] = [];
  socket: WebSocket | undefined;

  constructor(
    readonly id: string,
    readonly bot: EmulatedBot,
    readonly intents: number,
  ) {}

  get connected(): boolean {
    return this.socket !== undefined && this.socket.readyState === this.socket.OPEN;
  }

  /** Sends a dispatch now, or keeps it for a RESUME while the client is away. */
  dispatch(t: string, d: unknown): void {
    const s = ++this.seq;
    const text = JSON.stringify({ op: GatewayOp.Dispatch, t, s, d });
    this.backlog.push({ s, text });
    if (this.backlog.length > BACKLOG) this.backlog.shift();
    if (this.connected) this.socket?.send(text);
  }

  /** Attaches a resuming client and replays what it missed after `afterSeq`. */
  resume(socket: WebSocket, afterSeq: number): void {
    this.socket = socket;
    for (const entry of this.backlog) if (entry.s > afterSeq) socket.send(entry.text);
    this.dispatch('RESUMED', null);
  }
}
