import { createConnection, createServer, type Socket } from 'node:net';

/** One connection through a {@link TcpRecorder}. */
export interface RecordedConnection {
  /** What the client sent so far, as text. */
  sent(): string;
  /** What the server sent back so far, as text. */
  received(): string;
  /** Resolves when either side has closed the connection. */
  readonly closed: Promise<void>;
}

/** A loopback TCP relay that keeps what passes through, to see what really went over the wire. */
export interface TcpRecorder {
  /** `http://127.0.0.1:PORT`, to use instead of the server's address. */
  readonly url: string;
  readonly port: number;
  readonly connections: readonly RecordedConnection[];
  close(): Promise<void>;
}

/**
 * Starts a relay on a free loopback port to `127.0.0.1:targetPort`. Tests use it to prove
 * protocol facts a client library hides, e.g. that cancelling closed the HTTP stream before the
 * server finished its reply.
 */
export async function startTcpRecorder(targetPort: number): Promise<TcpRecorder> {
  const connections: RecordedConnection[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    sockets.add(client);
    sockets.add(upstream);
    let sent = '';
    let received = '';
    const closed = new Promise<void>((resolve) => {
      const done = () => {
        client.destroy();
        upstream.destroy();
        resolve();
      };
      client.once('close', done);
      upstream.once('close', done);
      client.once('error', done);
      upstream.once('error', done);
    });
    client.on('data', (chunk: Buffer) => {
      sent += chunk.toString('latin1');
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      client.write(chunk);
    });
    connections.push({ sent: () => sent, received: () => received, closed });
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
