import type { ZodTypeAny } from 'zod';
import type { ConfigPath } from './config-path.js';

/**
 * The parts of a zod v3 schema definition this file reads. Matching on `typeName` rather than
 * `instanceof` also works for schemas built with another copy of zod.
 */
interface ZodDefinition {
  readonly typeName?: string;
  readonly innerType?: ZodTypeAny;
  readonly schema?: ZodTypeAny;
  readonly type?: ZodTypeAny;
  readonly in?: ZodTypeAny;
  readonly getter?: () => ZodTypeAny;
  readonly valueType?: ZodTypeAny;
  readonly items?: readonly ZodTypeAny[];
  readonly shape?: () => Record<string, ZodTypeAny>;
  readonly options?: readonly ZodTypeAny[] | ReadonlyMap<unknown, ZodTypeAny>;
}

/** The definition of a schema, typed for reading. */
export function zodDefinition(schema: ZodTypeAny): ZodDefinition {
  return schema._def as ZodDefinition;
}

/** The schema under optional, nullable, default, catch, readonly, brand, effects, pipeline and lazy. */
export function unwrapSchema(schema: ZodTypeAny): ZodTypeAny {
  let current = schema;
  for (let depth = 0; depth < 32; depth++) {
    const def = zodDefinition(current);
    const next = (() => {
      switch (def.typeName) {
        case 'ZodOptional':
        case 'ZodNullable':
        case 'ZodDefault':
        case 'ZodCatch':
        case 'ZodReadonly':
          return def.innerType;
        case 'ZodBranded':
          return def.type;
        case 'ZodEffects':
          return def.schema;
        case 'ZodPipeline':
          return def.in;
        case 'ZodLazy':
          return def.getter?.();
        default:
          return undefined;
      }
    })();
    if (next === undefined) return current;
    current = next;
  }
  return current;
}

/** The options of a union or discriminated union, else undefined. */
export function unionOptions(schema: ZodTypeAny): readonly ZodTypeAny[] | undefined {
  const def = zodDefinition(schema);
  if (def.typeName !== 'ZodUnion' && def.typeName !== 'ZodDiscriminatedUnion') return undefined;
  const options = def.options;
  if (options === undefined) return undefined;
  return Array.isArray(options) ? options : [...(options as ReadonlyMap<unknown, ZodTypeAny>).values()];
}

function child(schema: ZodTypeAny, segment: string | number): ZodTypeAny | undefined {
  const def = zodDefinition(schema);
  switch (def.typeName) {
    case 'ZodObject':
      return typeof segment === 'string' ? def.shape?.()[segment] : undefined;
    case 'ZodRecord':
      return def.valueType;
    case 'ZodArray':
      return def.type;
    case 'ZodTuple':
      return typeof segment === 'number' ? def.items?.[segment] : undefined;
    default: {
      for (const option of unionOptions(schema) ?? []) {
        const found = child(unwrapSchema(option), segment);
        if (found) return found;
      }
      return undefined;
    }
  }
}

/**
 * The (unwrapped) schema that validates the value at `path`: into object shapes by key, record
 * values, array elements and tuple items; the first union option that has the path wins.
 */
export function schemaAtPath(schema: ZodTypeAny, path: ConfigPath): ZodTypeAny | undefined {
  let current: ZodTypeAny | undefined = unwrapSchema(schema);
  for (const segment of path) {
    if (current === undefined) return undefined;
    const next = child(current, segment);
    current = next === undefined ? undefined : unwrapSchema(next);
  }
  return current;
}

/** The keys an object schema at `path` accepts (of every object option of a union), or undefined. */
export function objectKeysAt(schema: ZodTypeAny, path: ConfigPath): string[] | undefined {
  const target = schemaAtPath(schema, path);
  if (target === undefined) return undefined;
  const objects = unionOptions(target)?.map(unwrapSchema) ?? [target];
  const keys = new Set<string>();
  let any = false;
  for (const object of objects) {
    const shape =
      zodDefinition(object).typeName === 'ZodObject' ? zodDefinition(object).shape?.() : undefined;
    if (shape === undefined) continue;
    any = true;
    for (const key of Object.keys(shape)) keys.add(key);
  }
  return any ? [...keys] : undefined;
}
