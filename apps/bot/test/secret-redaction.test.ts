import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, envRef, runCli, tempDir, writeFiles } from './cli-harness.js';

const KEY = 'sk-test-0123456789abcdefghij';

/**
 * An OpenAI-compatible server that lists its model but refuses the key for completions, quoting
 * it back as the real API does.
 */
let server: Server;
let baseURL: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url?.endsWith('/models')) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ object: 'list', data: [{ id: 'gpt-test', object: 'model' }] }));
      return;
    }
    const key = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    response.writeHead(401, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        error: { message: `Incorrect API key provided: Bearer ${key}`, type: 'invalid_request_error' },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('a configured secret that a server echoes back', () => {
  it('is redacted in the logs', async () => {
    const dir = await tempDir();
    await writeFiles(dir, {
      'confab.yaml': `transports:
  - name: console
    plugin: '@confab/transport-console'
backends:
  - name: remote
    plugin: '@confab/backend-openai'
    baseURL: ${baseURL}
    apiKey: ${envRef('REMOTE_KEY')}
    profiles:
      default:
        model: gpt-test
mates:
  - name: helper
    system: You help.
    backend: remote
    profile: default
log:
  level: debug
store:
  path: ':memory:'
`,
    });
    const result = await runCli(['run'], {
      cwd: dir,
      env: cleanEnv({ REMOTE_KEY: KEY }),
      input: 'hello\n',
    });
    const output = result.stdout + result.stderr;
    expect(result.code, output).toBe(0);
    // The server's answer is shown, the key in it is not.
    expect(output).toContain('Incorrect API key provided: Bearer [redacted]');
    expect(output).not.toContain(KEY);
  });
});
