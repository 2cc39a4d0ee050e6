/** The hyper-parameters of a generated llama-architecture model. */
export interface ModelShape {
  readonly layers: number;
  /** Width of the residual stream (`llama.embedding_length`). */
  readonly embedding: number;
  readonly heads: number;
  readonly headsKv: number;
  readonly feedForward: number;
  readonly contextLength: number;
}

/** Named sizes, from ~0.2M parameters (<1 MB) to ~50M parameters (~100 MB as F16). */
export const MODEL_SIZES = {
  tiny: { layers: 2, embedding: 64, heads: 4, headsKv: 4, feedForward: 192, contextLength: 2048 },
  small: { layers: 4, embedding: 128, heads: 4, headsKv: 4, feedForward: 384, contextLength: 2048 },
  '25m': { layers: 8, embedding: 512, heads: 8, headsKv: 8, feedForward: 1376, contextLength: 2048 },
  '50m': { layers: 10, embedding: 640, heads: 10, headsKv: 10, feedForward: 1728, contextLength: 2048 },
} as const satisfies Record<string, ModelShape>;

export type ModelSize = keyof typeof MODEL_SIZES;

/** Throws a plain message when a shape cannot form a valid llama model. */
export function validateShape(shape: ModelShape): void {
  const problems: string[] = [];
  for (const key of ['layers', 'embedding', 'heads', 'headsKv', 'feedForward', 'contextLength'] as const) {
    if (!Number.isInteger(shape[key]) || shape[key] < 1) problems.push(`${key} must be a positive integer`);
  }
  if (shape.embedding % shape.heads !== 0) problems.push('embedding must be a multiple of heads');
  if (shape.heads % shape.headsKv !== 0) problems.push('heads must be a multiple of headsKv');
  if ((shape.embedding / shape.heads) % 2 !== 0) problems.push('embedding / heads (head size) must be even');
  if (problems.length > 0) throw new Error(`invalid model shape: ${problems.join('; ')}`);
}
