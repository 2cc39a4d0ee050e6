import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { writeGguf } from './gguf-writer.js';
import { llamaLayout } from './llama-layout.js';
import { MODEL_SIZES, type ModelShape, type ModelSize, validateShape } from './model-shape.js';
import { randomWeights } from './random-weights.js';
import { structuredWeights } from './structured-weights.js';
import { tinyVocabulary } from './vocabulary.js';

/** What {@link writeTinyGguf} generates. Shape fields override the chosen `size`. */
export interface TinyGgufOptions extends Partial<ModelShape> {
  /**
   * `structured`: greedy output is a known function of the last token (see `structuredNext`):
   * a ChatML prompt is answered `OK.`. `random`: context-dependent gibberish.
   */
  readonly kind: 'structured' | 'random';
  /** Element type of the matrices (norms are always F32). */
  readonly dtype?: 'f16' | 'f32';
  /** A named shape; `tiny` by default. */
  readonly size?: ModelSize;
  /** Seed of the random parts; the same options give the same bytes. */
  readonly seed?: number;
}

/** The file written by {@link writeTinyGguf}. */
export interface TinyGguf {
  readonly path: string;
  /** Number of weights in the model. */
  readonly parameters: number;
  /** File size in bytes. */
  readonly bytes: number;
}

/**
 * Writes a small llama-architecture GGUF that node-llama-cpp loads: a ChatML-templated
 * character vocabulary and structured or random weights, so tests need no downloaded model.
 */
export async function writeTinyGguf(path: string, options: TinyGgufOptions): Promise<TinyGguf> {
  const size = options.size ?? 'tiny';
  const base: ModelShape = MODEL_SIZES[size];
  if (!base) throw new Error(`unknown size "${size}"; use one of ${Object.keys(MODEL_SIZES).join(', ')}`);
  const shape: ModelShape = {
    layers: options.layers ?? base.layers,
    embedding: options.embedding ?? base.embedding,
    heads: options.heads ?? base.heads,
    headsKv: options.headsKv ?? options.heads ?? base.headsKv,
    feedForward: options.feedForward ?? base.feedForward,
    contextLength: options.contextLength ?? base.contextLength,
  };
  validateShape(shape);
  const vocabulary = tinyVocabulary();
  const seed = options.seed ?? 42;
  const weights =
    options.kind === 'structured'
      ? structuredWeights(vocabulary, shape.embedding, seed)
      : randomWeights(vocabulary.tokens.length, shape.embedding, seed);
  const dtype = options.dtype === 'f32' ? 'F32' : 'F16';
  const layout = llamaLayout(`confab-${options.kind}-${size}`, shape, vocabulary, weights, dtype);
  const target = resolve(path);
  await mkdir(dirname(target), { recursive: true });
  const bytes = await writeGguf(target, layout.metadata, layout.tensors);
  return { path: target, parameters: layout.parameters, bytes };
}
