import { describe, expect, it } from 'vitest';
import { v8PoolPlan } from '../src/launch/v8-pool-plan.js';

const plain = { setting: undefined, nodeOptions: undefined, execArgv: [] as string[] };

describe('v8PoolPlan', () => {
  it('gives a bot on four CPUs or fewer one helper thread fewer than its CPUs, in a child', () => {
    const plans = [1, 2, 3, 4, 5, 32].map((cpus) => v8PoolPlan({ ...plain, cpus }));
    expect(plans).toEqual([
      { kind: 'child', poolSize: 1 },
      { kind: 'child', poolSize: 1 },
      { kind: 'child', poolSize: 2 },
      { kind: 'child', poolSize: 3 },
      { kind: 'here' },
      { kind: 'here' },
    ]);
    expect(v8PoolPlan({ ...plain, setting: ' auto ', cpus: 2 })).toEqual({ kind: 'child', poolSize: 1 });
  });

  it('follows CONFAB_V8_POOL_SIZE: node keeps Node’s default, a number is used as given', () => {
    expect(v8PoolPlan({ ...plain, setting: 'node', cpus: 2 })).toEqual({ kind: 'here' });
    expect(v8PoolPlan({ ...plain, setting: '2', cpus: 64 })).toEqual({ kind: 'child', poolSize: 2 });
  });

  it('keeps a --v8-pool-size this Node already has, from its command line or NODE_OPTIONS', () => {
    expect(v8PoolPlan({ ...plain, execArgv: ['--v8-pool-size=1'], cpus: 2 })).toEqual({ kind: 'here' });
    expect(v8PoolPlan({ ...plain, setting: '3', execArgv: ['--v8-pool-size=1'], cpus: 2 })).toEqual({
      kind: 'here',
    });
    expect(
      v8PoolPlan({ ...plain, nodeOptions: '--max-old-space-size=512 --v8-pool-size 2', cpus: 2 }),
    ).toEqual({
      kind: 'here',
    });
    // A longer option that merely starts the same way is not it.
    expect(v8PoolPlan({ ...plain, nodeOptions: '--v8-pool-size-x=2', cpus: 2 })).toEqual({
      kind: 'child',
      poolSize: 1,
    });
  });

  it('says what a bad CONFAB_V8_POOL_SIZE should be', () => {
    for (const setting of ['0', '-1', '1.5', 'two', '257']) {
      expect(v8PoolPlan({ ...plain, setting, cpus: 2 })).toEqual({
        kind: 'invalid',
        message: `CONFAB_V8_POOL_SIZE must be auto, node or a whole number of threads from 1 to 256; found '${setting}'`,
      });
    }
  });
});
