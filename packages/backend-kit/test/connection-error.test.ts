import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isConnectionError } from '../src/connection-error.js';

/** A loopback port nobody listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('isConnectionError', () => {
  it("recognises Node fetch's refused connection", async () => {
    const port = await closedPort();
    const error = await fetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(isConnectionError(error)).toBe(true);
  });

  it('recognises a body cut off mid-stream', async () => {
    const server = createServer((socket) => {
      socket.write(
        'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n',
      );
      setTimeout(() => socket.destroy(), 10);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`);
      const error = await response.text().catch((e: unknown) => e);
      expect(isConnectionError(error)).toBe(true);
    } finally {
      server.close();
    }
  });

  it('does not take an answer of the server or a plain bug for a connection problem', () => {
    expect(isConnectionError(new Error('model "x" not found'))).toBe(false);
    expect(isConnectionError(new TypeError('cannot read properties of undefined'))).toBe(false);
    expect(isConnectionError(undefined)).toBe(false);
    expect(isConnectionError('ECONNREFUSED')).toBe(false);
  });
});
