import { createConnection, createServer, type Socket } from 'node:net';

/** One connection through a {@link TcpRecorder}. */
export interface RecordedConnection {
  /** What the client sent so far, as text. */
  sent(): string;
  /** What the server sent back so far, as text. */
  received(): string;
  /** Resolves when either side has closed the connection. */
  readonly closed: Promise<void>;
  /** Which side closed first, once one did. */
  closedBy(): 'client' | 'server' | undefined;
}

/**
 * Holds the server's bytes back after the `count`-th occurrence of `marker` (that occurrence
 * included): the client then gets exactly that much of the reply and nothing more, whatever the
 * server's speed. A test can so stop a reply at a known point and see what the client does.
 */
export interface UpstreamHold {
  readonly marker: string;
  readonly count: number;
  /** Only on connections whose client sent this text (e.g. one request's prompt); all by default. */
  readonly when?: string;
}

/** A loopback TCP relay that keeps what passes through, to see what really went over the wire. */
export interface TcpRecorder {
  /** `http://127.0.0.1:PORT`, to use instead of the server's address. */
  readonly url: string;
  readonly port: number;
  readonly connections: readonly RecordedConnection[];
  close(): Promise<void>;
}

/** How much of the server's text may reach the client under `hold`. */
function allowedLength(sent: string, received: string, hold: UpstreamHold | undefined): number {
  if (!hold || (hold.when !== undefined && !sent.includes(hold.when))) return received.length;
  let end = 0;
  for (let i = 0; i < hold.count; i++) {
    const at = received.indexOf(hold.marker, end);
    if (at < 0) return received.length;
    end = at + hold.marker.length;
  }
  return end;
}

/**
 * Starts a relay on a free loopback port to `127.0.0.1:targetPort`. Tests use it to prove
 * protocol facts a client library hides, e.g. that cancelling closed the HTTP stream before the
 * server finished its reply.
 */
export async function startTcpRecorder(
  targetPort: number,
  options: { readonly hold?: UpstreamHold } = {},
): Promise<TcpRecorder> {
  const connections: RecordedConnection[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    sockets.add(client);
    sockets.add(upstream);
    let sent = '';
    let received = '';
    let forwarded = 0;
    let closedBy: 'client' | 'server' | undefined;
    const closed = new Promise<void>((resolve) => {
      const done = (side: 'client' | 'server') => () => {
        closedBy ??= side;
        client.destroy();
        upstream.destroy();
        resolve();
      };
      client.once('close', done('client'));
      upstream.once('close', done('server'));
      client.once('error', done('client'));
      upstream.once('error', done('server'));
    });
    client.on('data', (chunk: Buffer) => {
      sent += chunk.toString('latin1');
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const allowed = allowedLength(sent, received, options.hold);
      if (allowed > forwarded) {
        client.write(Buffer.from(received.slice(forwarded, allowed), 'latin1'));
        forwarded = allowed;
      }
    });
    connections.push({ sent: () => sent, received: () => received, closed, closedBy: () => closedBy });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connections,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
