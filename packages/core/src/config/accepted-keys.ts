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
  const probe = (mapping: object): object =>
    new Proxy(mapping, {
      get(target, key, receiver) {
        if (typeof key === 'string') looked.add(key);
        return Reflect.get(target, key, receiver);
      },
    });
  await schema.safeParseAsync(withProbe(input, path, probe)).catch(() => undefined);
  looked.delete('then'); // zod asks every object whether it is a promise
  return [...looked];
}

/** A copy of `value` with the mapping at `path` replaced by `probe(mapping)`. */
function withProbe(value: unknown, path: ConfigPath, probe: (mapping: object) => object): unknown {
  if (value === null || typeof value !== 'object') return value;
  const [head, ...rest] = path;
  if (head === undefined) return probe(value);
  const copy = (Array.isArray(value) ? [...value] : { ...value }) as Record<string | number, unknown>;
  copy[head] = withProbe(copy[head], rest, probe);
  return copy;
}
