import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { createLogger, failureNotice, type StreamPart } from '@confab/core';
import { createTestBot } from '@confab/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { openaiBackendConfigSchema } from '../src/config.js';
import { OpenAIBackend } from '../src/openai-backend.js';
import openaiPlugin from '../src/plugin.js';

const KEY = 'sk-test-0123456789abcdef';

/**
 * A loopback server speaking enough of the OpenAI API for the official client: `GET /v1/models`
 * lists one model, and `POST /v1/chat/completions` answers as OpenAI does for a revoked key (401,
 * its error body, the key masked). The key was good at start and refused afterwards.
 */
async function startRevokingServer(): Promise<{ baseURL: string; authorizations: string[]; server: Server }> {
  const authorizations: string[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    authorizations.push(request.headers.authorization ?? '');
    request.resume();
    request.on('end', () => {
      response.setHeader('content-type', 'application/json');
      if (request.method === 'GET' && request.url === '/v1/models') {
        response.end(
          JSON.stringify({ object: 'list', data: [{ id: 'm', object: 'model', owned_by: 'test' }] }),
        );
        return;
      }
      response.statusCode = 401;
      response.end(
        JSON.stringify({
          error: {
            message: `Incorrect API key provided: ${KEY.slice(0, 5)}************cdef.`,
            type: 'invalid_request_error',
            param: null,
            code: 'invalid_api_key',
          },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { baseURL: `http://127.0.0.1:${port}/v1`, authorizations, server };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('a key the OpenAI-compatible server refuses (HTTP 401)', () => {
  it('is an auth failure, not a request the model could not take', async () => {
    const { baseURL, authorizations, server } = await startRevokingServer();
    servers.push(server);
    const backend = new OpenAIBackend(
      openaiBackendConfigSchema.parse({ baseURL, apiKey: KEY, profiles: { default: { model: 'm' } } }),
      { name: 'openai', kind: 'backend', specifier: '@confab/backend-openai', configDir: tmpdir() },
      createLogger({ level: 'silent' }),
    );
    await backend.start();
    const parts: StreamPart[] = [];
    const controller = new AbortController();
    for await (const part of backend.generate({
      profile: 'default',
      system: '',
      messages: [{ role: 'user', content: 'hi' }],
      sampling: {},
      maxPromptTokens: 1000,
      signal: controller.signal,
    }))
      parts.push(part);
    expect(parts).toMatchObject([
      {
        type: 'error',
        error: {
          kind: 'auth',
          message: expect.stringContaining("the server refused the credentials; check the backend's API key"),
        },
      },
    ]);
    // The client really sent the key: the refusal is the server's.
    expect(authorizations.at(-1)).toBe(`Bearer ${KEY}`);
    await backend.stop();
  });

  it('tells the person to tell the operator, and logs the cause with the conversation, never the key', async () => {
    const { baseURL, server } = await startRevokingServer();
    servers.push(server);
    let log = '';
    const logger = createLogger({ level: 'trace', destination: { write: (line: string) => (log += line) } });
    const { bot, transport } = createTestBot({
      backendPlugin: openaiPlugin,
      backend: { baseURL, apiKey: KEY, profiles: { default: { model: 'm' } } },
      bot: { logger },
    });
    await bot.start();
    try {
      await transport.inject({ text: 'hello', roomId: 'dm', isDirect: true, from: 'user:alice' });
      const [reply] = await transport.waitForBotMessages(1, 'dm', 10_000);
      expect(reply?.text).toBe(failureNotice('auth'));
      expect(reply?.text).toMatch(/refused.*operator/);
      expect(reply?.text).not.toMatch(/too long/);
    } finally {
      await bot.stop();
    }
    const failure = log
      .split('\n')
      .filter((line) => line.includes('backend failed'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(failure).toHaveLength(1);
    expect(failure[0]).toMatchObject({
      kind: 'auth',
      conversation: expect.stringContaining('dm'),
      detail: expect.stringContaining('401 Incorrect API key provided'),
    });
    expect(log).not.toContain(KEY);
  });
});
