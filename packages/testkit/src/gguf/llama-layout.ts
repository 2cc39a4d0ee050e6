import type { GgmlTypeName, GgufTensor, GgufValue } from './gguf-writer.js';
import type { ModelShape } from './model-shape.js';
import { CHATML_TEMPLATE, type TinyVocabulary } from './vocabulary.js';
import type { WeightSource } from './weight-source.js';

/** The metadata and tensors of a llama-architecture GGUF, as llama.cpp expects them. */
export interface LlamaLayout {
  readonly metadata: Map<string, GgufValue>;
  readonly tensors: GgufTensor[];
  readonly parameters: number;
}

const ones = (count: number) => () => new Float32Array(count).fill(1);

/**
 * Lays out a llama model: the `llama.*` hyper-parameters, the tokenizer (SPM "llama" with a
 * ChatML template) and the tensors per layer. Norms stay F32 (llama.cpp reads them as F32);
 * matrices use `dtype`.
 */
export function llamaLayout(
  name: string,
  shape: ModelShape,
  vocabulary: TinyVocabulary,
  weights: WeightSource,
  dtype: GgmlTypeName,
): LlamaLayout {
  const { embedding: d, feedForward: ff, heads, headsKv, layers } = shape;
  const headSize = d / heads;
  const kv = headSize * headsKv;
  const vocab = vocabulary.tokens.length;
  const metadata = new Map<string, GgufValue>([
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: name }],
    ['general.file_type', { type: 'u32', value: dtype === 'F32' ? 0 : 1 }],
    ['llama.context_length', { type: 'u32', value: shape.contextLength }],
    ['llama.embedding_length', { type: 'u32', value: d }],
    ['llama.block_count', { type: 'u32', value: layers }],
    ['llama.feed_forward_length', { type: 'u32', value: ff }],
    ['llama.attention.head_count', { type: 'u32', value: heads }],
    ['llama.attention.head_count_kv', { type: 'u32', value: headsKv }],
    ['llama.rope.dimension_count', { type: 'u32', value: headSize }],
    ['llama.rope.freq_base', { type: 'f32', value: 10000 }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'f32', value: 1e-5 }],
    ['llama.vocab_size', { type: 'u32', value: vocab }],
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'string[]', value: vocabulary.tokens }],
    ['tokenizer.ggml.scores', { type: 'f32[]', value: vocabulary.scores }],
    ['tokenizer.ggml.token_type', { type: 'i32[]', value: vocabulary.types }],
    ['tokenizer.ggml.bos_token_id', { type: 'u32', value: vocabulary.bos }],
    ['tokenizer.ggml.eos_token_id', { type: 'u32', value: vocabulary.eos }],
    ['tokenizer.ggml.unknown_token_id', { type: 'u32', value: vocabulary.unk }],
    ['tokenizer.ggml.eot_token_id', { type: 'u32', value: vocabulary.imEnd }],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: true }],
    ['tokenizer.ggml.add_eos_token', { type: 'bool', value: false }],
    ['tokenizer.chat_template', { type: 'string', value: CHATML_TEMPLATE }],
  ]);
  const tensors: GgufTensor[] = [
    { name: 'token_embd.weight', dims: [d, vocab], type: dtype, data: () => weights.tokenEmbedding() },
  ];
  const matrix = (tensorName: string, fanIn: number, fanOut: number): GgufTensor => ({
    name: tensorName,
    dims: [fanIn, fanOut],
    type: dtype,
    data: () => weights.layerMatrix(fanIn * fanOut, fanIn),
  });
  for (let layer = 0; layer < layers; layer++) {
    const prefix = `blk.${layer}`;
    tensors.push(
      { name: `${prefix}.attn_norm.weight`, dims: [d], type: 'F32', data: ones(d) },
      matrix(`${prefix}.attn_q.weight`, d, d),
      matrix(`${prefix}.attn_k.weight`, d, kv),
      matrix(`${prefix}.attn_v.weight`, d, kv),
      matrix(`${prefix}.attn_output.weight`, d, d),
      { name: `${prefix}.ffn_norm.weight`, dims: [d], type: 'F32', data: ones(d) },
      matrix(`${prefix}.ffn_gate.weight`, d, ff),
      matrix(`${prefix}.ffn_up.weight`, d, ff),
      matrix(`${prefix}.ffn_down.weight`, ff, d),
    );
  }
  tensors.push(
    { name: 'output_norm.weight', dims: [d], type: 'F32', data: ones(d) },
    { name: 'output.weight', dims: [d, vocab], type: dtype, data: () => weights.output() },
  );
  const parameters = tensors.reduce((sum, tensor) => sum + tensor.dims.reduce((a, b) => a * b, 1), 0);
  return { metadata, tensors, parameters };
}
