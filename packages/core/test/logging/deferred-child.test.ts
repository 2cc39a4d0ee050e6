import { describe, expect, it } from 'vitest';
import { DeferredChildLogger } from '../../src/logging/deferred-child.js';
import type { LogFields, Logger } from '../../src/logging/logger.js';

/** A logger that records its lines and the children made from it. */
function recordingLogger(bindings: LogFields = {}, lines: unknown[][] = [], children: LogFields[] = []) {
  const line =
    (level: string) =>
    (...args: unknown[]) =>
      lines.push([level, bindings, ...args]);
  const logger: Logger = {
    trace: line('trace'),
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    fatal: line('fatal'),
    child(more) {
      children.push(more);
      return recordingLogger({ ...bindings, ...more }, lines, children).logger;
    },
  };
  return { logger, lines, children };
}

describe('DeferredChildLogger', () => {
  it('makes no child and reads no bindings while nothing is logged', () => {
    const { logger, children } = recordingLogger();
    let read = 0;
    new DeferredChildLogger(logger, () => {
      read++;
      return { conversation: 'c' };
    });
    expect(read).toBe(0);
    expect(children).toEqual([]);
  });

  it('makes the child once, on the first line, and logs every line through it', () => {
    const { logger, lines, children } = recordingLogger({ app: 'confab' });
    let read = 0;
    const log = new DeferredChildLogger(logger, () => {
      read++;
      return { conversation: 'c' };
    });
    log.warn({ kind: 'timeout' }, 'backend failed');
    log.info('plain');
    log.child({ worker: 'w1' }).error('from a grandchild');
    expect(read).toBe(1);
    expect(children).toEqual([{ conversation: 'c' }, { worker: 'w1' }]);
    expect(lines).toEqual([
      ['warn', { app: 'confab', conversation: 'c' }, { kind: 'timeout' }, 'backend failed'],
      ['info', { app: 'confab', conversation: 'c' }, 'plain'],
      ['error', { app: 'confab', conversation: 'c', worker: 'w1' }, 'from a grandchild'],
    ]);
  });
});
