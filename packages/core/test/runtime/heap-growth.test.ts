import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { heapGrowthFlag } from '../../src/index.js';

const source = fileURLToPath(new URL('../../src/runtime/heap-growth.ts', import.meta.url));

/**
 * Runs `script` in a fresh Node with `applyHeapGrowth` in scope, tracing how V8 sets each full
 * collection's limit. Returns, per collection in order, the factor V8's own heuristic chose and
 * the factor it used.
 */
function factors(script: string): { chosen: string; used: string }[] {
  const run = spawnSync(
    process.execPath,
    [
      '--expose-gc',
      '--trace-gc-verbose',
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `import { applyHeapGrowth } from ${JSON.stringify(source)};\n${script}`,
    ],
    { encoding: 'utf8' },
  );
  expect(run.status, run.stderr).toBe(0);
  // "[HeapController] factor 4.0 based on mu=0.970, ..." then
  // "[HeapController] Limit: old size: 11076 KB, new limit: 74512 KB (6.0)"
  const chosen = [...run.stdout.matchAll(/\[HeapController\] factor (\d+\.\d) based on/g)];
  const used = [...run.stdout.matchAll(/\[HeapController\] Limit: .*\((\d+\.\d)\)/g)];
  expect(chosen.length).toBe(used.length);
  return used.map((m, i) => ({ chosen: chosen[i]?.[1] as string, used: m[1] as string }));
}

describe('heap growth', () => {
  it('maps a growth factor to V8 flag text, and "v8" to V8 choosing', () => {
    expect(heapGrowthFlag(4)).toBe('--heap-growing-percent=300');
    expect(heapGrowthFlag(1.1)).toBe('--heap-growing-percent=10');
    expect(heapGrowthFlag(2.345)).toBe('--heap-growing-percent=135');
    expect(heapGrowthFlag('v8')).toBe('--heap-growing-percent=0');
  });

  it('changes the limit V8 sets at the next full collection of a running process', () => {
    const used = factors(
      [
        'applyHeapGrowth(2.5);',
        'gc();',
        'applyHeapGrowth(6);',
        'gc();',
        'applyHeapGrowth(2.5);',
        'gc();',
      ].join('\n'),
    ).map((f) => f.used);
    expect(used).toEqual(['2.5', '6.0', '2.5']);
  });

  it('"v8" hands the choice back to V8', () => {
    const [tuned, own] = factors(
      ['applyHeapGrowth(6);', 'gc();', "applyHeapGrowth('v8');", 'gc();'].join('\n'),
    );
    expect(tuned?.used).toBe('6.0');
    expect(own?.used).toBe(own?.chosen);
    expect(own?.used).not.toBe('6.0');
  });
});
