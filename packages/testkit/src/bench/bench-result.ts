import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';

/** The machine a benchmark ran on. */
export interface BenchMachine {
  readonly cpus: number;
  readonly model: string;
  readonly node: string;
}

/** One benchmark's result, in the shape every confab benchmark writes. */
export interface BenchResult {
  readonly name: string;
  readonly machine: BenchMachine;
  readonly params: Record<string, unknown>;
  readonly metrics: Record<string, unknown>;
  readonly ratios: Record<string, unknown>;
  readonly targets: Record<string, unknown>;
  readonly met: boolean;
}

/** This machine, for {@link BenchResult.machine}. */
export function benchMachine(): BenchMachine {
  return { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version };
}

/**
 * Writes `bench-results/NAME.json` at the workspace root (the nearest folder above the working
 * directory with a pnpm-workspace.yaml, else the working directory) and returns its path.
 */
export function writeBenchResult(result: BenchResult, from = process.cwd()): string {
  let root = from;
  while (!existsSync(join(root, 'pnpm-workspace.yaml')) && dirname(root) !== root) root = dirname(root);
  if (!existsSync(join(root, 'pnpm-workspace.yaml'))) root = from;
  const dir = join(root, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${result.name}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}
