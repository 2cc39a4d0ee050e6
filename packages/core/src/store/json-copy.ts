/** What a value that JSON leaves out (undefined, a function, a symbol) copies to. */
const OMITTED = Symbol('omitted');

/**
 * A deep copy of `value` equal to `JSON.parse(JSON.stringify(value))`, made without the text:
 * it follows `JSON.stringify`'s rules (`toJSON`, wrapper objects, own enumerable keys, `undefined`
 * and functions left out of objects and turned into `null` in arrays, non-finite numbers to
 * `null`, `-0` to `0`) and builds the result directly, sharing strings with the original, which
 * is safe because strings cannot change.
 *
 * {@link MemoryStore} keeps values as such copies: a stored message then costs a few dozen bytes
 * for its object instead of its whole JSON text, so the store holds less and creates less for
 * the garbage collector per message, while callers still never share state with it.
 *
 * Throws like `JSON.stringify` on a cycle or a bigint, and a `TypeError` when `value` itself is
 * one that JSON leaves out (there is no JSON text for it to parse).
 */
export function jsonCopy<T>(value: T): T {
  const copy = property(value, '', []);
  if (copy === OMITTED) throw new TypeError(`a ${typeof value} has no JSON form`);
  return copy as T;
}

/**
 * True when `value` can be kept as it is instead of as its {@link jsonCopy}: a frozen plain
 * object whose own properties are all data properties holding primitives (JSON semantics are
 * then applied when it is read, by copying it). Nothing can change such an object, so keeping
 * it shares no state with the caller. The engine freezes the messages it stores for this.
 */
export function isFrozenRecord(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || !Object.isFrozen(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  if ((prototype !== Object.prototype && prototype !== null) || 'toJSON' in value) return false;
  // for-in reads the keys V8 caches per object shape, where Object.keys builds an array per
  // call; the prototype, checked above, adds none.
  for (const key in value) {
    // A getter could answer differently at every read. Asked this way rather than through
    // getOwnPropertyDescriptor, which builds an object per property on the hot path.
    if (lookupGetter.call(value, key) !== undefined) return false;
    const item = (value as Record<string, unknown>)[key];
    const type = typeof item;
    if ((type === 'object' && item !== null) || type === 'function' || type === 'bigint') return false;
  }
  return true;
}

/**
 * True when `value` is a frozen array of values {@link isFrozenRecord} accepts (a page of
 * stored messages), which can be kept as it is for the same reason.
 */
export function isFrozenRecordList(value: unknown): boolean {
  if (!Array.isArray(value) || !Object.isFrozen(value) || Object.getPrototypeOf(value) !== Array.prototype)
    return false;
  // A hole reads as undefined, which is no record. Other properties JSON leaves out of an array,
  // and so does the copy made at every read.
  for (const item of value) if (!isFrozenRecord(item)) return false;
  return true;
}

// Annex B, in every JavaScript engine Node runs on: the getter of a property found on the
// object or its prototypes, undefined for a data property.
const lookupGetter = (Object.prototype as unknown as { __lookupGetter__(key: string): unknown })
  .__lookupGetter__;

/** JSON's SerializeJSONProperty, building the value instead of text. */
function property(input: unknown, key: string, ancestors: object[]): unknown {
  let value = input;
  if (typeof value === 'object' && value !== null) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') value = toJSON.call(value, key);
  }
  if (typeof value === 'object' && value !== null) {
    if (value instanceof Number) value = Number(value);
    else if (value instanceof String) value = String(value);
    else if (value instanceof Boolean) value = value.valueOf();
    else if (value instanceof BigInt) value = value.valueOf();
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // JSON writes -0 as 0 and has no text for NaN or the infinities.
      return Number.isFinite(value) ? value + 0 : null;
    case 'bigint':
      // The same TypeError JSON.stringify throws.
      return JSON.stringify(value);
    case 'object':
      if (value === null) return null;
      return Array.isArray(value) ? array(value, ancestors) : object(value, ancestors);
    default:
      return OMITTED;
  }
}

function array(value: readonly unknown[], ancestors: object[]): unknown[] {
  enter(value, ancestors);
  const copy = new Array<unknown>(value.length);
  for (let i = 0; i < value.length; i++) {
    const item = property(value[i], String(i), ancestors);
    copy[i] = item === OMITTED ? null : item;
  }
  ancestors.pop();
  return copy;
}

function object(value: object, ancestors: object[]): Record<string, unknown> {
  enter(value, ancestors);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = property((value as Record<string, unknown>)[key], key, ancestors);
    if (item === OMITTED) continue;
    // JSON.parse makes "__proto__" an own property; plain assignment would set the prototype.
    if (key === '__proto__') {
      Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    } else {
      copy[key] = item;
    }
  }
  ancestors.pop();
  return copy;
}

function enter(value: object, ancestors: object[]): void {
  if (ancestors.includes(value)) throw new TypeError('Converting circular structure to JSON');
  ancestors.push(value);
}
