import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startTcpRecorder } from '../src/ollama/tcp-recorder.js';

describe('startTcpRecorder', () => {
  it('relays both ways and keeps what went over the wire, per connection', async () => {
    const server = createServer((request, response) => {
      response.end(`you asked for ${request.url}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const recorder = await startTcpRecorder(port);
    try {
      const response = await fetch(`${recorder.url}/hello`, { headers: { connection: 'close' } });
      expect(await response.text()).toBe('you asked for /hello');
      expect(recorder.connections).toHaveLength(1);
      const [connection] = recorder.connections;
      await connection?.closed;
      expect(connection?.sent()).toMatch(/^GET \/hello HTTP\/1\.1\r\n/);
      expect(connection?.received()).toContain('you asked for /hello');
    } finally {
      await recorder.close();
      server.close();
    }
  });

  it('holds the server back after the marker, so the client sees exactly that much; the client closing is recorded', async () => {
    const server = createServer((_request, response) => {
      response.write('line 1\n');
      response.write('line 2\n');
      response.end('line 3\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const recorder = await startTcpRecorder(port, {
      hold: { marker: 'line 1\n', count: 1, when: 'GET /held' },
    });
    try {
      const controller = new AbortController();
      const response = await fetch(`${recorder.url}/held`, { signal: controller.signal });
      const reader = response.body?.getReader();
      let text = '';
      while (!text.includes('line 1')) {
        const chunk = await reader?.read();
        text += new TextDecoder().decode(chunk?.value);
      }
      controller.abort();
      const [connection] = recorder.connections;
      await connection?.closed;
      expect(connection?.closedBy()).toBe('client');
      expect(text).not.toContain('line 2');
    } finally {
      await recorder.close();
      server.close();
    }
  });
});
