import { tmpdir } from 'node:os';
import { ConfabError, createLogger } from '@confab/core';
import { closedPort } from '@confab/testkit';
import { describe, expect, it } from 'vitest';
import { ollamaBackendConfigSchema } from '../src/config.js';
import { OllamaBackend } from '../src/ollama-backend.js';

/** Wires the backend and starts it, as `confab run` does; what it throws, and what it logged. */
async function startWith(section: Record<string, unknown>): Promise<{ error: unknown; log: string }> {
  let log = '';
  const logger = createLogger({ level: 'trace', destination: { write: (line: string) => (log += line) } });
  const error = await (async () => {
    const backend = new OllamaBackend(
      ollamaBackendConfigSchema.parse(section),
      {
        name: 'ollama',
        kind: 'backend',
        specifier: '@confab/backend-ollama',
        configDir: tmpdir(),
        section: 'backends[0]',
      },
      logger,
    );
    await backend.start();
  })().catch((e: unknown) => e);
  return { error, log };
}

describe('an Ollama host with a user name and password in it', () => {
  // The ollama client keeps them in every request URL, and Node's fetch refuses such URLs before
  // connecting: no server could ever be asked, so "no Ollama server answers" would be wrong.
  it('is refused with what is wrong with it, never showing the password', async () => {
    const port = await closedPort();
    const { error, log } = await startWith({
      host: `http://user:s3cret@127.0.0.1:${port}`,
      profiles: { small: { model: 'm' } },
    });
    expect(error).toBeInstanceOf(ConfabError);
    expect((error as ConfabError).code).toBe('backend.url-credentials');
    expect((error as Error).message).toBe(
      `backend 'ollama': backends[0].host (http://[redacted]@127.0.0.1:${port}) has a user name or password in it, which cannot work: Ollama has no login, and Node's fetch refuses such URLs; remove them`,
    );
    expect(String((error as Error).cause ?? '')).not.toContain('s3cret');
    expect(log).not.toContain('s3cret');
  });

  it("names a profile's own host", async () => {
    const port = await closedPort();
    const { error } = await startWith({
      host: `http://127.0.0.1:${port}`,
      profiles: { small: { model: 'm', host: `http://user:s3cret@127.0.0.1:${port}` } },
    });
    expect((error as Error).message).toMatch(
      /^backend 'ollama': backends\[0\]\.profiles\.small\.host \(http:\/\/\[redacted\]@127\.0\.0\.1:\d+\) has a user name or password in it/,
    );
    expect((error as Error).message).not.toContain('s3cret');
  });
});
