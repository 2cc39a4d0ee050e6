import { open } from 'node:fs/promises';

/** GGUF metadata value types (gguf.h `gguf_type`). */
export const GgufValueType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;

/** Tensor element types this writer emits (ggml `ggml_type`). */
export const GgmlType = { F32: 0, F16: 1 } as const;
export type GgmlTypeName = keyof typeof GgmlType;

/** One typed metadata value. Arrays are homogeneous. */
export type GgufValue =
  | { readonly type: 'u32'; readonly value: number }
  | { readonly type: 'i32'; readonly value: number }
  | { readonly type: 'f32'; readonly value: number }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'string[]'; readonly value: readonly string[] }
  | { readonly type: 'f32[]'; readonly value: ArrayLike<number> }
  | { readonly type: 'i32[]'; readonly value: ArrayLike<number> };

/** A tensor to write: dims innermost first (ggml `ne`), values row-major in that order. */
export interface GgufTensor {
  readonly name: string;
  readonly dims: readonly number[];
  readonly type: GgmlTypeName;
  /** Produces the values when the tensor is written, so large models are never held whole in memory. */
  readonly data: () => Float32Array;
}

const MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
const VERSION = 3;

/** Growable little-endian byte buffer for the header, which is small. */
class ByteSink {
  private buffer = Buffer.alloc(1 << 16);
  length = 0;

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + bytes) size *= 2;
    const next = Buffer.alloc(size);
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  u32(value: number): void {
    this.reserve(4);
    this.buffer.writeUInt32LE(value, this.length);
    this.length += 4;
  }

  i32(value: number): void {
    this.reserve(4);
    this.buffer.writeInt32LE(value, this.length);
    this.length += 4;
  }

  u64(value: number): void {
    this.reserve(8);
    this.buffer.writeBigUInt64LE(BigInt(value), this.length);
    this.length += 8;
  }

  f32(value: number): void {
    this.reserve(4);
    this.buffer.writeFloatLE(value, this.length);
    this.length += 4;
  }

  u8(value: number): void {
    this.reserve(1);
    this.buffer.writeUInt8(value, this.length);
    this.length += 1;
  }

  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.u64(bytes.length);
    this.reserve(bytes.length);
    bytes.copy(this.buffer, this.length);
    this.length += bytes.length;
  }

  pad(alignment: number): void {
    const padding = (alignment - (this.length % alignment)) % alignment;
    this.reserve(padding);
    this.buffer.fill(0, this.length, this.length + padding);
    this.length += padding;
  }

  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}

function writeValue(sink: ByteSink, value: GgufValue): void {
  switch (value.type) {
    case 'u32':
      sink.u32(GgufValueType.UINT32);
      sink.u32(value.value);
      return;
    case 'i32':
      sink.u32(GgufValueType.INT32);
      sink.i32(value.value);
      return;
    case 'f32':
      sink.u32(GgufValueType.FLOAT32);
      sink.f32(value.value);
      return;
    case 'bool':
      sink.u32(GgufValueType.BOOL);
      sink.u8(value.value ? 1 : 0);
      return;
    case 'string':
      sink.u32(GgufValueType.STRING);
      sink.string(value.value);
      return;
    case 'string[]':
      sink.u32(GgufValueType.ARRAY);
      sink.u32(GgufValueType.STRING);
      sink.u64(value.value.length);
      for (const item of value.value) sink.string(item);
      return;
    case 'f32[]':
      sink.u32(GgufValueType.ARRAY);
      sink.u32(GgufValueType.FLOAT32);
      sink.u64(value.value.length);
      for (let i = 0; i < value.value.length; i++) sink.f32(value.value[i] ?? 0);
      return;
    case 'i32[]':
      sink.u32(GgufValueType.ARRAY);
      sink.u32(GgufValueType.INT32);
      sink.u64(value.value.length);
      for (let i = 0; i < value.value.length; i++) sink.i32(value.value[i] ?? 0);
      return;
  }
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** IEEE 754 binary32 → binary16 bits, rounding to nearest even (Node 20 has no Float16Array). */
export function toHalf(value: number): number {
  f32Scratch[0] = value;
  const bits = u32Scratch[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    if (halfExponent < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - halfExponent;
    let half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && half & 1)) half++;
    return sign | half;
  }
  let half = (halfExponent << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  return sign | half;
}

function encodeTensor(tensor: GgufTensor, elements: number): Buffer {
  const values = tensor.data();
  if (values.length !== elements) {
    throw new Error(`tensor ${tensor.name}: expected ${elements} values, got ${values.length}`);
  }
  if (tensor.type === 'F32') return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  const half = new Uint16Array(elements);
  for (let i = 0; i < elements; i++) half[i] = toHalf(values[i]!);
  return Buffer.from(half.buffer);
}

function elementCount(dims: readonly number[]): number {
  return dims.reduce((product, dim) => product * dim, 1);
}

/**
 * Writes a GGUF v3 file: header, typed metadata, tensor infos, then each tensor's data
 * aligned to `alignment` (which is also written as `general.alignment`). Returns the file size.
 */
export async function writeGguf(
  path: string,
  metadata: ReadonlyMap<string, GgufValue>,
  tensors: readonly GgufTensor[],
  alignment = 32,
): Promise<number> {
  const sink = new ByteSink();
  sink.u32(MAGIC);
  sink.u32(VERSION);
  sink.u64(tensors.length);
  const entries = new Map(metadata);
  entries.set('general.alignment', { type: 'u32', value: alignment });
  sink.u64(entries.size);
  for (const [key, value] of entries) {
    sink.string(key);
    writeValue(sink, value);
  }
  let offset = 0;
  const sizes: number[] = [];
  for (const tensor of tensors) {
    const elements = elementCount(tensor.dims);
    const size = elements * (tensor.type === 'F32' ? 4 : 2);
    sink.string(tensor.name);
    sink.u32(tensor.dims.length);
    for (const dim of tensor.dims) sink.u64(dim);
    sink.u32(GgmlType[tensor.type]);
    sink.u64(offset);
    sizes.push(size);
    offset += size + ((alignment - (size % alignment)) % alignment);
  }
  sink.pad(alignment);
  const file = await open(path, 'w');
  try {
    let written = 0;
    await file.write(sink.bytes());
    written += sink.length;
    for (const [index, tensor] of tensors.entries()) {
      const data = encodeTensor(tensor, elementCount(tensor.dims));
      await file.write(data);
      const padding = (alignment - (sizes[index]! % alignment)) % alignment;
      if (padding > 0) await file.write(Buffer.alloc(padding));
      written += data.length + padding;
    }
    return written;
  } finally {
    await file.close();
  }
}
