#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { MODEL_SIZES, type ModelSize } from './model-shape.js';
import { writeTinyGguf } from './tiny-gguf.js';

const USAGE = `usage: confab-gguf --out FILE [--kind structured|random] [--dtype f16|f32]
                   [--size ${Object.keys(MODEL_SIZES).join('|')}] [--layers N] [--embedding N]
                   [--context-length N] [--seed N]
Writes a tiny llama GGUF for tests and benchmarks (structured: a ChatML prompt is answered "OK.").`;

function fail(message: string): never {
  process.stderr.write(`confab-gguf: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    fail(`--${name} must be a non-negative integer, got "${value}"`);
  return parsed;
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        out: { type: 'string' },
        kind: { type: 'string', default: 'structured' },
        dtype: { type: 'string', default: 'f16' },
        size: { type: 'string', default: 'tiny' },
        layers: { type: 'string' },
        embedding: { type: 'string' },
        'context-length': { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    fail((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const out = values.out;
  if (typeof out !== 'string' || out === '') fail('--out FILE is required');
  const kind = values.kind;
  if (kind !== 'structured' && kind !== 'random') fail(`--kind must be structured or random, got "${kind}"`);
  const dtype = values.dtype;
  if (dtype !== 'f16' && dtype !== 'f32') fail(`--dtype must be f16 or f32, got "${dtype}"`);
  const size = values.size as string;
  if (!(size in MODEL_SIZES))
    fail(`--size must be one of ${Object.keys(MODEL_SIZES).join(', ')}, got "${size}"`);
  const result = await writeTinyGguf(out, {
    kind,
    dtype,
    size: size as ModelSize,
    layers: integer('layers', values.layers as string | undefined),
    embedding: integer('embedding', values.embedding as string | undefined),
    contextLength: integer('context-length', values['context-length'] as string | undefined),
    seed: integer('seed', values.seed as string | undefined),
  });
  process.stdout.write(`${result.path}: ${result.parameters} parameters, ${result.bytes} bytes\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`confab-gguf: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
