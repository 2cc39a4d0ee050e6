import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type HttpRecorder, startHttpRecorder } from '../src/http-recorder/http-recorder.js';

let server: Server | undefined;
let recorder: HttpRecorder | undefined;
afterEach(async () => {
  await recorder?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = recorder = undefined;
});

/** A server that answers each request with its method, path, body and Host header. */
async function echoServer(): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json', 'x-echo': 'yes' });
      res.end(JSON.stringify({ method: req.method, url: req.url, body, host: req.headers.host }));
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

describe('startHttpRecorder', () => {
  it('forwards requests unchanged, answers with the server reply and records each request', async () => {
    const target = await echoServer();
    recorder = await startHttpRecorder(target);
    const response = await fetch(`${recorder.url}/rooms/%21a%3Ab/send?x=1`, {
      method: 'PUT',
      body: '{"m.new_content":{}}',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-echo')).toBe('yes');
    expect(await response.json()).toEqual({
      method: 'PUT',
      url: '/rooms/%21a%3Ab/send?x=1',
      body: '{"m.new_content":{}}',
      host: new URL(target).host,
    });
    await fetch(`${recorder.url}/sync`);
    expect(recorder.requests.map(({ method, url, body }) => ({ method, url, body }))).toEqual([
      { method: 'PUT', url: '/rooms/%21a%3Ab/send?x=1', body: '{"m.new_content":{}}' },
      { method: 'GET', url: '/sync', body: '' },
    ]);
  });

  it('answers 502 when the server is not there', async () => {
    const target = await echoServer();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
    recorder = await startHttpRecorder(target);
    expect((await fetch(`${recorder.url}/x`)).status).toBe(502);
  });
});
