const CHUNK = 256;

// Code units from U+D800 up: surrogates and U+E000–FFFF are where UTF-16 order and UTF-8 byte
// order disagree. Keys without them compare natively.
const SLOW = /[\ud800-\uffff]/;

/** Compares strings in UTF-8 byte order (code point order), as LMDB orders raw UTF-8 keys. */
export function compareUtf8(a: string, b: string): number {
  if (!SLOW.test(a) || !SLOW.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate starts a code point above U+FFFF, which sorts after every BMP character.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * A sorted set of string keys kept in chunks of at most 256, so inserting and deleting cost a
 * binary search and a short copy instead of shifting one large array.
 */
export class SortedKeys {
  private readonly chunks: string[][] = [];

  /** Adds a key that is not present yet. */
  insert(key: string): void {
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      return;
    }
    const c = this.chunkFor(key);
    const chunk = this.chunks[c] as string[];
    chunk.splice(lowerBound(chunk, key), 0, key);
    if (chunk.length > CHUNK) this.chunks.splice(c + 1, 0, chunk.splice(CHUNK / 2));
  }

  delete(key: string): void {
    const c = this.chunkFor(key);
    const chunk = this.chunks[c];
    if (!chunk) return;
    const i = lowerBound(chunk, key);
    if (chunk[i] !== key) return;
    chunk.splice(i, 1);
    if (chunk.length === 0) this.chunks.splice(c, 1);
  }

  /** Keys starting with `prefix`, in order. */
  *withPrefix(prefix: string): Generator<string> {
    if (this.chunks.length === 0) return;
    let c = this.chunkFor(prefix);
    let i = lowerBound(this.chunks[c] as string[], prefix);
    for (; c < this.chunks.length; c++, i = 0) {
      const chunk = this.chunks[c] as string[];
      for (; i < chunk.length; i++) {
        const key = chunk[i] as string;
        if (!key.startsWith(prefix)) return;
        yield key;
      }
    }
  }

  /** Keys starting with `prefix`, in descending order. */
  *withPrefixReversed(prefix: string): Generator<string> {
    // The last chunk that starts at or below the end of the prefix range: keys with the prefix
    // are contiguous and not below it, so "first key <= prefix or has the prefix" holds for a
    // leading run of chunks.
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const first = (this.chunks[mid] as string[])[0] as string;
      if (compareUtf8(first, prefix) <= 0 || first.startsWith(prefix)) lo = mid;
      else hi = mid - 1;
    }
    if (this.chunks.length === 0) return;
    // Within that chunk, skip the keys above the prefix range by binary search as well.
    const inOrBelow = (key: string) => compareUtf8(key, prefix) <= 0 || key.startsWith(prefix);
    const start = this.chunks[lo] as string[];
    let a = 0;
    let b = start.length - 1;
    while (a < b) {
      const mid = (a + b + 1) >> 1;
      if (inOrBelow(start[mid] as string)) a = mid;
      else b = mid - 1;
    }
    let i = a;
    for (let c = lo; c >= 0; c--) {
      const chunk = this.chunks[c] as string[];
      if (c < lo) i = chunk.length - 1;
      for (; i >= 0; i--) {
        const key = chunk[i] as string;
        if (key.startsWith(prefix)) yield key;
        else if (compareUtf8(key, prefix) < 0) return;
      }
    }
  }

  /** Index of the chunk whose range holds `key`: the last chunk whose first key is not above it. */
  private chunkFor(key: string): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (compareUtf8((this.chunks[mid] as string[])[0] as string, key) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** First index in sorted `keys` whose key is not below `key`. */
function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareUtf8(keys[mid] as string, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
