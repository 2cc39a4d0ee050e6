import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/index.js';

const SECRET = 'sk-live-0123456789abcdef';

/** A logger writing to a string, with `SECRET` configured; flushed before `output` reads it. */
function capture(): { logger: ReturnType<typeof createLogger>; output: () => Promise<string> } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  const logger = createLogger({
    level: 'trace',
    destination: stream,
    secrets: [SECRET, 'a "quoted" secret'],
  });
  return { logger, output: () => new Promise((resolve) => setImmediate(() => resolve(text))) };
}

describe('createLogger with secrets', () => {
  it('redacts a secret wherever it appears: message, error message and stack, nested fields', async () => {
    const { logger, output } = capture();
    const error = new Error(`401: Incorrect API key provided: Bearer ${SECRET}`);
    logger.error({ err: error }, `backend said: Bearer ${SECRET}`);
    logger.child({ request: SECRET }).info({ response: { body: { detail: [`key ${SECRET}`] } } }, 'failed');
    logger.debug({ cause: new Error('nested', { cause: new Error(SECRET) }) }, 'with a cause');
    const text = await output();
    expect(text).not.toContain(SECRET);
    expect(text.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(5);
    // Every line is still JSON.
    for (const line of text.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('redacts a secret that JSON escapes', async () => {
    const { logger, output } = capture();
    logger.info({ header: 'x a "quoted" secret y' }, 'a "quoted" secret');
    const line = JSON.parse(await output());
    expect(line).toMatchObject({ header: 'x [redacted] y', msg: '[redacted]' });
  });

  it('still redacts secret keys by path', async () => {
    const { logger, output } = capture();
    logger.info({ config: { token: 'short' } }, 'configured');
    expect(JSON.parse(await output()).config.token).toBe('[redacted]');
  });
});
