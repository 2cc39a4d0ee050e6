const CHUNK = 256;

// Code units from U+D800 up: surrogates and U+E000–FFFF are where UTF-16 order and UTF-8 byte
// order disagree. Where either of two strings has none, they compare natively.
const WIDE = /[\ud800-\uffff]/;

/** Compares strings in UTF-8 byte order (code point order), as LMDB orders raw UTF-8 keys. */
export function compareUtf8(a: string, b: string): number {
  if (!WIDE.test(a) || !WIDE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return compareWide(a, b);
}

function compareWide(a: string, b: string): number {
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
 * A string-keyed map kept in UTF-8 byte order of its keys, in chunks of at most 256 entries, so
 * a lookup is a binary search, an insert or delete shifts one short array, and listing a prefix
 * in either direction is a search and a walk.
 *
 * Why not a hash map beside a sorted index: the store's keys are new on almost every message
 * (an event id, a history message). A `Map` that churns keeps every value it held alive until
 * the next full collection (see `ChurnMap`), and an object used as a dictionary copies every new
 * key into the old generation when it internalizes it. Chunked arrays do neither.
 */
export class SortedMap<V> {
  /** `keys[c][i]` maps to `values[c][i]`; every chunk is non-empty. */
  private readonly keys: string[][] = [];
  private readonly values: V[][] = [];
  private count = 0;
  // Where the last search ended: a chunk and the first index in it not below the key.
  private chunk = 0;
  private index = 0;

  get size(): number {
    return this.count;
  }

  get(key: string): V | undefined {
    return this.find(key) ? (this.values[this.chunk] as V[])[this.index] : undefined;
  }

  has(key: string): boolean {
    return this.find(key);
  }

  /** Sets `key` to `value`; true when the key was new. */
  set(key: string, value: V): boolean {
    if (this.keys.length === 0) {
      this.keys.push([key]);
      this.values.push([value]);
      this.count = 1;
      return true;
    }
    if (this.find(key)) {
      (this.values[this.chunk] as V[])[this.index] = value;
      return false;
    }
    const c = this.chunk;
    const keys = this.keys[c] as string[];
    const values = this.values[c] as V[];
    keys.splice(this.index, 0, key);
    values.splice(this.index, 0, value);
    this.count++;
    if (keys.length > CHUNK) {
      this.keys.splice(c + 1, 0, keys.splice(CHUNK / 2));
      this.values.splice(c + 1, 0, values.splice(CHUNK / 2));
    }
    return true;
  }

  /** Removes `key`; true when it was present. */
  delete(key: string): boolean {
    if (!this.find(key)) return false;
    const c = this.chunk;
    const keys = this.keys[c] as string[];
    keys.splice(this.index, 1);
    (this.values[c] as V[]).splice(this.index, 1);
    this.count--;
    if (keys.length === 0) {
      this.keys.splice(c, 1);
      this.values.splice(c, 1);
    }
    return true;
  }

  /** Entries whose key starts with `prefix`, in order. */
  *withPrefix(prefix: string): Generator<[string, V]> {
    if (this.keys.length === 0) return;
    this.find(prefix);
    let i = this.index;
    for (let c = this.chunk; c < this.keys.length; c++, i = 0) {
      const keys = this.keys[c] as string[];
      const values = this.values[c] as V[];
      for (; i < keys.length; i++) {
        const key = keys[i] as string;
        if (!key.startsWith(prefix)) return;
        yield [key, values[i] as V];
      }
    }
  }

  /** Entries whose key starts with `prefix`, in descending order. */
  *withPrefixReversed(prefix: string): Generator<[string, V]> {
    if (this.keys.length === 0) return;
    // Keys with the prefix are contiguous and not below it, so "at or below the prefix, or
    // starting with it" holds for a leading run of keys: find the last one.
    const inOrBelow = (key: string) => compareUtf8(key, prefix) <= 0 || key.startsWith(prefix);
    let lo = 0;
    let hi = this.keys.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (inOrBelow((this.keys[mid] as string[])[0] as string)) lo = mid;
      else hi = mid - 1;
    }
    const start = this.keys[lo] as string[];
    let a = 0;
    let b = start.length - 1;
    while (a < b) {
      const mid = (a + b + 1) >> 1;
      if (inOrBelow(start[mid] as string)) a = mid;
      else b = mid - 1;
    }
    let i = a;
    for (let c = lo; c >= 0; c--) {
      const keys = this.keys[c] as string[];
      const values = this.values[c] as V[];
      if (c < lo) i = keys.length - 1;
      for (; i >= 0; i--) {
        const key = keys[i] as string;
        if (key.startsWith(prefix)) yield [key, values[i] as V];
        else if (compareUtf8(key, prefix) < 0) return;
      }
    }
  }

  /**
   * Positions {@link chunk} and {@link index} at the first key not below `key` within the chunk
   * whose range holds it; true when that key is `key`.
   */
  private find(key: string): boolean {
    if (this.keys.length === 0) {
      this.chunk = 0;
      this.index = 0;
      return false;
    }
    // Checked once per search instead of once per comparison (see compareUtf8).
    const native = !WIDE.test(key);
    let lo = 0;
    let hi = this.keys.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const first = (this.keys[mid] as string[])[0] as string;
      if (native ? first <= key : compareWide(first, key) <= 0) lo = mid;
      else hi = mid - 1;
    }
    const keys = this.keys[lo] as string[];
    let a = 0;
    let b = keys.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      const at = keys[mid] as string;
      if (native ? at < key : compareWide(at, key) < 0) a = mid + 1;
      else b = mid;
    }
    this.chunk = lo;
    this.index = a;
    return a < keys.length && keys[a] === key;
  }
}
