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
});
