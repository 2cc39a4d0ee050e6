import type { ZodTypeAny } from 'zod';
import { unionOptions, unwrapSchema, zodDefinition } from './schema-at-path.js';

interface Check {
  readonly kind: string;
  readonly message?: string;
}

interface DescribedDefinition {
  readonly checks?: readonly Check[];
  readonly values?: readonly unknown[] | Record<string, unknown>;
  readonly value?: unknown;
  readonly minLength?: { readonly value: number; readonly message?: string } | null;
}

/**
 * What a schema expects, for "missing; expected X" and "found Y, expected X": `a string`,
 * `an integer`, `true or false`, `one of: per-user, per-room`, `a list with at least one mate`.
 * A check's own message (as core's `a name of letters, ...`) is the best description there is,
 * so it wins; returns undefined for schemas it cannot put in words.
 */
export function describeSchema(schema: ZodTypeAny): string | undefined {
  const inner = unwrapSchema(schema);
  const def = zodDefinition(inner) as DescribedDefinition & ReturnType<typeof zodDefinition>;
  const customCheck = def.checks?.find((check) => check.message !== undefined)?.message;
  switch (def.typeName) {
    case 'ZodString':
      return customCheck ?? 'a string';
    case 'ZodNumber':
      return customCheck ?? (def.checks?.some((check) => check.kind === 'int') ? 'an integer' : 'a number');
    case 'ZodBoolean':
      return 'true or false';
    case 'ZodEnum':
    case 'ZodNativeEnum': {
      const values = Array.isArray(def.values) ? def.values : Object.values(def.values ?? {});
      return `one of: ${values.map(String).join(', ')}`;
    }
    case 'ZodLiteral':
      return JSON.stringify(def.value);
    case 'ZodArray':
    case 'ZodTuple':
      return def.minLength?.message ? `a list with ${def.minLength.message}` : 'a list';
    case 'ZodObject':
    case 'ZodRecord':
    case 'ZodMap':
      return 'a mapping';
    case 'ZodNull':
      return 'an empty value';
    default: {
      const parts = unionOptions(inner)?.map(describeSchema);
      if (!parts || parts.some((part) => part === undefined)) return undefined;
      return parts.join(' or ');
    }
  }
}
