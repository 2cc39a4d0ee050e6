import type { ZodTypeAny } from 'zod';
import type { ConfigPath } from './config-path.js';

/**
 * The keys `schema` accepts in the mapping at `path` of `input`, for "did you mean" on an unknown
 * key. Zod looks up every key of an object schema in its input, so validating once more with that
 * mapping behind a proxy that records lookups names them, wherever the object sits (under
 * optional, default, a union, a record, a lazy schema) and whichever copy of zod built it,
 * without reading the schema's definition.
 */
export async function acceptedKeys(schema: ZodTypeAny, input: unknown, path: ConfigPath): Promise<string[]> {
  const looked = new Set<string>();
  const get = (target: object, key: string | symbol, receiver: unknown): unknown => {
    if (typeof key === 'string') looked.add(key);
    return Reflect.get(target, key, receiver);
  };
  // A copy of `value` with the mapping at `rest` behind the proxy.
  const probe = (value: unknown, rest: ConfigPath): unknown => {
    if (value === null || typeof value !== 'object') return value;
    const [head, ...tail] = rest;
    if (head === undefined) return new Proxy(value, { get });
    const copy = (Array.isArray(value) ? [...value] : { ...value }) as Record<string | number, unknown>;
    copy[head] = probe(copy[head], tail);
    return copy;
  };
  await schema.safeParseAsync(probe(input, path)).catch(() => undefined);
  looked.delete('then'); // zod asks every object whether it is a promise
  return [...looked];
}
