import { createSilentLogger, type StreamPart } from '@confab/core';
import { describe, expect, it } from 'vitest';
import { ServerHealth } from '../src/server-health.js';
import { type ServerChunk, type ServerStreamOptions, streamFromServer } from '../src/server-stream.js';

const logger = createSilentLogger();

function health(): ServerHealth {
  // Long pauses: these tests look at the state, not at the retry loop (server-health.test.ts does).
  return new ServerHealth({ describe: 'test', logger, initialDelayMs: 60_000, probe: async () => {} });
}

function options(
  open: ServerStreamOptions['open'],
  overrides: Partial<ServerStreamOptions> = {},
): ServerStreamOptions {
  return {
    health: health(),
    signal: new AbortController().signal,
    warnings: [],
    describe: 'test model',
    logger,
    open,
    classify: () => 'internal',
    ...overrides,
  };
}

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

async function* chunks(...items: ServerChunk[]): AsyncGenerator<ServerChunk> {
  yield* items;
}

describe('streamFromServer', () => {
  it('turns a finished reply into start, deltas and finish with the usage the server reported', async () => {
    const parts = await collect(
      streamFromServer(
        options(
          async () =>
            chunks(
              { type: 'text', text: 'O' },
              { type: 'text', text: '' },
              { type: 'text', text: 'K.' },
              { type: 'finish', reason: 'stop', usage: { inputTokens: 12 } },
            ),
          { warnings: ['minP ignored'] },
        ),
      ),
    );
    expect(parts).toEqual([
      { type: 'stream-start', warnings: ['minP ignored'] },
      { type: 'text-delta', text: 'O' },
      { type: 'text-delta', text: 'K.' },
      { type: 'finish', reason: 'stop', usage: { inputTokens: 12, outputTokens: 2 } },
    ]);
  });

  it('ends a reply cut off mid-stream with an error part', async () => {
    const parts = await collect(streamFromServer(options(async () => chunks({ type: 'text', text: 'O' }))));
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { kind: 'unavailable' } });
    expect((parts.at(-1) as { error: { message: string } }).error.message).toMatch(
      /ended before the reply finished/,
    );
  });

  it('reports a refused connection as unavailable, marks the server down and then fails fast', async () => {
    const h = health();
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    let opened = 0;
    const open = async () => {
      opened++;
      throw refused;
    };
    const first = await collect(streamFromServer(options(open, { health: h })));
    expect(first).toEqual([
      {
        type: 'error',
        error: { kind: 'unavailable', message: 'test model: model server unavailable', cause: refused },
      },
    ]);
    expect(h.available).toBe(false);
    const second = await collect(streamFromServer(options(open, { health: h })));
    expect(second).toMatchObject([{ type: 'error', error: { kind: 'unavailable' } }]);
    expect(opened).toBe(1);
    h.stop();
  });

  it('classifies what the server answered with, and leaves the server marked up', async () => {
    const h = health();
    const parts = await collect(
      streamFromServer(
        options(
          async () => {
            throw Object.assign(new Error('model "x" not found'), { status_code: 404 });
          },
          {
            health: h,
            classify: (e) =>
              (e as { status_code?: number }).status_code === 404 ? 'bad-request' : 'internal',
          },
        ),
      ),
    );
    expect(parts).toMatchObject([
      { type: 'error', error: { kind: 'bad-request', message: 'test model: model "x" not found' } },
    ]);
    expect(h.available).toBe(true);
  });

  it("says a refused key is the operator's to fix, without any URL's password", async () => {
    const parts = await collect(
      streamFromServer(
        options(
          async () => {
            throw Object.assign(new Error('401 no access for http://user:s3cret@h:1/v1'), { status: 401 });
          },
          { classify: (e) => ((e as { status?: number }).status === 401 ? 'auth' : 'internal') },
        ),
      ),
    );
    expect(parts).toMatchObject([
      {
        type: 'error',
        error: {
          kind: 'auth',
          message:
            "test model: 401 no access for http://[redacted]@h:1/v1 (the server refused the credentials; check the backend's API key)",
        },
      },
    ]);
  });

  it('aborting the request aborts the HTTP signal and finishes as aborted', async () => {
    const controller = new AbortController();
    let httpSignal: AbortSignal | undefined;
    async function* endless(signal: AbortSignal): AsyncGenerator<ServerChunk> {
      while (!signal.aborted) {
        yield { type: 'text', text: 'x' };
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      throw signal.reason;
    }
    const parts: StreamPart[] = [];
    for await (const part of streamFromServer(
      options(
        async (signal) => {
          httpSignal = signal;
          return endless(signal);
        },
        { signal: controller.signal },
      ),
    )) {
      parts.push(part);
      if (parts.length === 3) controller.abort(new Error('!stop'));
    }
    expect(httpSignal?.aborted).toBe(true);
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      reason: 'aborted',
      usage: { inputTokens: 0, outputTokens: 2 },
    });
  });

  it('a consumer that stops reading aborts the HTTP request', async () => {
    let httpSignal: AbortSignal | undefined;
    const stream = streamFromServer(
      options(async (signal) => {
        httpSignal = signal;
        return chunks({ type: 'text', text: 'a' }, { type: 'text', text: 'b' });
      }),
    );
    for await (const part of stream) {
      if (part.type === 'text-delta') break;
    }
    expect(httpSignal?.aborted).toBe(true);
  });
});
