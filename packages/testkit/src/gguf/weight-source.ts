/** Where the values of a generated model's matrices come from (structured or random). */
export interface WeightSource {
  /** `token_embd`: `vocab` rows of `embedding` values. */
  tokenEmbedding(): Float32Array;
  /** `output`: `vocab` rows of `embedding` values (logit of token v = row v · normed state). */
  output(): Float32Array;
  /** A per-layer projection with `count` values whose rows have `fanIn` inputs. */
  layerMatrix(count: number, fanIn: number): Float32Array;
}
