/**
 * A string-keyed map for collections whose keys come and go all the time (running jobs, waiting
 * users, in-flight replies), backed by a dictionary-mode object instead of a `Map`.
 *
 * Why: when a V8 `Map` or `Set` rehashes, the table it leaves points to its successor. Once a
 * table of a long-lived map has reached the old generation, every later table, and every value
 * they held, survives young-generation collections until the next full one; a map that churns
 * on every message thereby promotes every job and message it ever held (measured on Node 20 with
 * a set-then-delete loop on a long-lived map: about a quarter of all allocation promoted, where a
 * dictionary object promoted none).
 *
 * Its own cost: an object's property names are internalized, which copies a key the map has
 * not seen before into the old generation, left there until the next full collection. That is
 * cheap for keys that recur (conversations, users, rooms); for keys new on every message prefer
 * few long-lived entries, or a structure without hashing such as the store's `SortedMap`.
 *
 * Iteration follows insertion order (re-setting an existing key keeps its place; deleting and
 * setting it again moves it to the end), except that keys which are array indices ("0", "42")
 * come first in numeric order; the engine's keys never are.
 */
export class ChurnMap<V> implements Iterable<[string, V]> {
  #entries: Record<string, V> = Object.create(null);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(key: string): V | undefined {
    return this.#entries[key];
  }

  has(key: string): boolean {
    return key in this.#entries;
  }

  set(key: string, value: V): this {
    if (!(key in this.#entries)) this.#size++;
    this.#entries[key] = value;
    return this;
  }

  delete(key: string): boolean {
    if (!(key in this.#entries)) return false;
    delete this.#entries[key];
    this.#size--;
    return true;
  }

  clear(): void {
    this.#entries = Object.create(null);
    this.#size = 0;
  }

  /** A snapshot of the keys: the map may change while the caller walks it. */
  keys(): string[] {
    return Object.keys(this.#entries);
  }

  values(): V[] {
    return Object.values(this.#entries);
  }

  entries(): [string, V][] {
    return Object.entries(this.#entries);
  }

  [Symbol.iterator](): Iterator<[string, V]> {
    return this.entries()[Symbol.iterator]();
  }
}
