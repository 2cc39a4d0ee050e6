import { tmpdir } from 'node:os';
import { ConfabError, createLogger } from '@confab/core';
import { closedPort } from '@confab/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { openaiBackendConfigSchema } from '../src/config.js';
import { OpenAIBackend } from '../src/openai-backend.js';

const saved = process.env.OPENAI_BASE_URL;
afterEach(() => {
  if (saved === undefined) delete process.env.OPENAI_BASE_URL;
  else process.env.OPENAI_BASE_URL = saved;
});

/** Wires the backend and starts it, as `confab run` does; what it throws, and what it logged. */
async function startWith(section: Record<string, unknown>): Promise<{ error: unknown; log: string }> {
  let log = '';
  const logger = createLogger({ level: 'trace', destination: { write: (line: string) => (log += line) } });
  const error = await (async () => {
    const backend = new OpenAIBackend(
      openaiBackendConfigSchema.parse(section),
      {
        name: 'openai',
        kind: 'backend',
        specifier: '@confab/backend-openai',
        configDir: tmpdir(),
        section: 'backends[0]',
      },
      logger,
    );
    await backend.start();
  })().catch((e: unknown) => e);
  return { error, log };
}

describe('a server URL with a user name and password in it', () => {
  it('is refused with what is wrong, never showing the password', async () => {
    const port = await closedPort();
    const { error, log } = await startWith({
      baseURL: `http://user:s3cret@127.0.0.1:${port}/v1`,
      profiles: { small: { model: 'm' } },
    });
    expect(error).toBeInstanceOf(ConfabError);
    expect((error as ConfabError).code).toBe('backend.url-credentials');
    expect((error as Error).message).toBe(
      `backend 'openai': backends[0].baseURL (http://[redacted]@127.0.0.1:${port}/v1) has a user name or password in it, which cannot be sent: Node's fetch refuses such URLs; remove them, and give a key as apiKey`,
    );
    expect(String((error as Error).cause ?? '')).not.toContain('s3cret');
    expect(log).not.toContain('s3cret');
  });

  it("names a profile's own baseURL, and OPENAI_BASE_URL", async () => {
    const port = await closedPort();
    const profile = await startWith({
      baseURL: `http://127.0.0.1:${port}/v1`,
      profiles: { small: { model: 'm', baseURL: `http://k:s3cret@127.0.0.1:${port}/v1` } },
    });
    expect((profile.error as Error).message).toMatch(
      /^backend 'openai': backends\[0\]\.profiles\.small\.baseURL \(http:\/\/\[redacted\]@127\.0\.0\.1:\d+\/v1\) has a user name or password in it/,
    );
    process.env.OPENAI_BASE_URL = `http://k:s3cret@127.0.0.1:${port}/v1`;
    const env = await startWith({ profiles: { small: { model: 'm' } } });
    expect((env.error as Error).message).toMatch(
      /^backend 'openai': OPENAI_BASE_URL \(http:\/\/\[redacted\]@127\.0\.0\.1:\d+\/v1\) has a user name or password in it/,
    );
    expect(`${String(profile.error)}${profile.log}${String(env.error)}${env.log}`).not.toContain('s3cret');
  });
});
