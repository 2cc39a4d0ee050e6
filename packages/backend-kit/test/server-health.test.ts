import { createSilentLogger, type Logger } from '@confab/core';
import { describe, expect, it } from 'vitest';
import { ServerHealth } from '../src/server-health.js';

/** A logger that keeps the `retryInMs` of each line, to see the backoff without timing it. */
function recordingLogger(): { logger: Logger; retries: number[]; lines: string[] } {
  const retries: number[] = [];
  const lines: string[] = [];
  const silent = createSilentLogger();
  const record =
    (level: string) =>
    (fields: unknown, msg?: string): void => {
      if (typeof fields === 'string') {
        lines.push(`${level} ${fields}`);
        return;
      }
      const retry = (fields as { retryInMs?: number }).retryInMs;
      if (retry !== undefined) retries.push(retry);
      lines.push(`${level} ${msg ?? ''}`);
    };
  const logger = {
    ...silent,
    trace: record('trace'),
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    fatal: record('fatal'),
    child: () => logger,
  } as Logger;
  return { logger, retries, lines };
}

describe('ServerHealth', () => {
  it('probes with doubling pauses until the server answers, then is available again', async () => {
    const { logger, retries, lines } = recordingLogger();
    let probes = 0;
    const health = new ServerHealth({
      describe: 'test server',
      logger,
      initialDelayMs: 1,
      maxDelayMs: 4,
      probe: async () => {
        probes++;
        if (probes < 4) throw new Error('connect ECONNREFUSED');
      },
    });
    expect(health.available).toBe(true);
    health.markDown(new Error('gone'));
    health.markDown(new Error('gone again')); // one loop, one warning
    expect(health.available).toBe(false);
    await health.whenAvailable();
    expect(health.available).toBe(true);
    expect(probes).toBe(4);
    // First pause 1 ms (in the warning), then the pauses after each failed probe: 2, 4, capped 4.
    expect(retries).toEqual([1, 2, 4, 4]);
    expect(lines.filter((line) => line.startsWith('warn'))).toEqual([
      'warn test server: model server unavailable; retrying with backoff',
    ]);
    expect(lines.at(-1)).toBe('info test server: model server is back');
    health.stop();
  });

  it('a real request that gets through ends the outage without waiting for the probe', async () => {
    const health = new ServerHealth({
      describe: 'test server',
      logger: createSilentLogger(),
      initialDelayMs: 60_000,
      probe: async () => {},
    });
    health.markDown(new Error('gone'));
    expect(health.available).toBe(false);
    health.markUp();
    expect(health.available).toBe(true);
    await health.whenAvailable();
    health.stop();
  });

  it("never logs the credentials of a server's URL", () => {
    const { logger, lines } = recordingLogger();
    const health = new ServerHealth({
      describe: "ollama 'local' at http://user:s3cret@127.0.0.1:11434",
      logger,
      initialDelayMs: 60_000,
      probe: async () => {},
    });
    health.markDown(new Error('gone'));
    health.markUp();
    expect(lines).toEqual([
      "warn ollama 'local' at http://[redacted]@127.0.0.1:11434: model server unavailable; retrying with backoff",
      "info ollama 'local' at http://[redacted]@127.0.0.1:11434: model server is back",
    ]);
    health.stop();
  });

  it('stops probing once stopped', async () => {
    let probes = 0;
    let firstProbe: () => void = () => {};
    const probed = new Promise<void>((resolve) => {
      firstProbe = resolve;
    });
    const health = new ServerHealth({
      describe: 'test server',
      logger: createSilentLogger(),
      initialDelayMs: 1,
      maxDelayMs: 1,
      probe: async () => {
        probes++;
        firstProbe();
        throw new Error('down');
      },
    });
    health.markDown(new Error('gone'));
    await probed;
    health.stop();
    const seen = probes;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(probes).toBe(seen);
    expect(health.available).toBe(false);
  });
});
