import { describe, expect, it } from 'vitest';
import { NODE_DEFAULT_V8_POOL_SIZE, v8PoolSizeFor } from '../../src/index.js';

describe('v8PoolSizeFor', () => {
  it('leaves one CPU to the main thread, with at least one helper and at most Node’s default', () => {
    const sizes = [1, 2, 3, 4, 5, 8, 64].map((cpus) => [cpus, v8PoolSizeFor(cpus)]);
    expect(sizes).toEqual([
      [1, 1],
      [2, 1],
      [3, 2],
      [4, 3],
      [5, 4],
      [8, 4],
      [64, 4],
    ]);
    expect(NODE_DEFAULT_V8_POOL_SIZE).toBe(4);
  });
});
