export { writeTinyGguf, type TinyGgufOptions, type TinyGguf } from './tiny-gguf.js';
export { MODEL_SIZES, type ModelShape, type ModelSize } from './model-shape.js';
export { structuredNext, structuredContinuation } from './structured-weights.js';
export { tinyVocabulary, CHATML_TEMPLATE, type TinyVocabulary } from './vocabulary.js';
export { writeGguf, toHalf, type GgufTensor, type GgufValue } from './gguf-writer.js';
