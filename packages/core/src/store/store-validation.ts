/**
 * The largest key a store must accept, in UTF-8 bytes, counting the namespace and one separator
 * byte: LMDB's limit, which {@link MemoryStore} enforces too so that tests fail where LMDB would.
 */
export const MAX_STORE_KEY_BYTES = 1978;

// With the u flag a well-formed surrogate pair is one code point, so this matches only lone
// surrogates. UTF-8 cannot encode them: they would silently turn into U+FFFD and collide.
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Throws on a namespace or key that not every store can hold: an empty or NUL-containing
 * namespace, a string with lone surrogates, or a key over {@link MAX_STORE_KEY_BYTES}.
 * These are programming errors, so they are plain `TypeError`/`RangeError`s.
 */
export function assertStoreKey(namespace: string, key: string): void {
  if (typeof namespace !== 'string' || namespace.length === 0 || namespace.includes('\0')) {
    throw new TypeError(
      `store: namespace ${JSON.stringify(namespace)} must be a non-empty string without NUL`,
    );
  }
  if (typeof key !== 'string') {
    throw new TypeError(`store: key in ${namespace} must be a string, got ${typeof key}`);
  }
  if (LONE_SURROGATE.test(namespace) || LONE_SURROGATE.test(key)) {
    throw new TypeError(`store: key ${JSON.stringify(`${namespace}/${key}`)} contains a lone surrogate`);
  }
  // A UTF-16 code unit is at most 3 UTF-8 bytes, so short keys need no counting.
  if ((namespace.length + key.length) * 3 + 1 <= MAX_STORE_KEY_BYTES) return;
  const bytes = Buffer.byteLength(namespace) + 1 + Buffer.byteLength(key);
  if (bytes > MAX_STORE_KEY_BYTES) {
    throw new RangeError(
      `store: key in ${namespace} is ${bytes} bytes with its namespace; the limit is ${MAX_STORE_KEY_BYTES}`,
    );
  }
}

/** Throws on `undefined`, which no store can hold; `delete` is how a key is removed. */
export function assertStoreValue(namespace: string, key: string, value: unknown): void {
  if (value === undefined) {
    throw new TypeError(`store: value for ${namespace}/${key} is undefined; use delete() to remove a key`);
  }
}
