import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';

/** One request that went through an {@link HttpRecorder}. */
export interface RecordedHttpRequest {
  readonly method: string;
  /** Path and query, as the client sent them (still percent-encoded). */
  readonly url: string;
  /** The request body as text (empty for none). */
  readonly body: string;
  /** When the recorder received the whole request (epoch ms). */
  readonly at: number;
}

/** A loopback HTTP reverse proxy that forwards every request unchanged and keeps a record of it. */
export interface HttpRecorder {
  /** `http://127.0.0.1:PORT`, to give the client instead of the server's address. */
  readonly url: string;
  readonly requests: readonly RecordedHttpRequest[];
  close(): Promise<void>;
}

/**
 * Starts a recorder in front of `target` (an `http://127.0.0.1:PORT` base URL) on a free loopback
 * port. It sees what a client library really asks of a server (e.g. how many requests of each
 * kind a bot makes per message) without touching the client. Responses, long polls included,
 * stream back as they come; a client that gives up aborts the upstream request too.
 */
export async function startHttpRecorder(target: string): Promise<HttpRecorder> {
  const upstream = new URL(target);
  const requests: RecordedHttpRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const method = req.method ?? 'GET';
      const url = req.url ?? '/';
      requests.push({ method, url, body: body.toString('utf8'), at: Date.now() });
      const forwarded = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method,
          path: url,
          headers: { ...req.headers, host: upstream.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forwarded.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      // The client went away before the answer was complete (a long poll it gave up on).
      res.on('close', () => {
        if (!res.writableFinished) forwarded.destroy();
      });
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
