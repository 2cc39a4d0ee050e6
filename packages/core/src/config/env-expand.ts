/** An environment, as `process.env` or a copy of it. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The result of expanding one string. */
export interface EnvExpansion {
  /** The string with references replaced; unset variables without a default become empty. */
  readonly value: string;
  /** Whether at least one `${...}` reference was replaced (escapes do not count). */
  readonly substituted: boolean;
  /** Names of referenced variables that are unset and have no default, in order. */
  readonly missing: readonly string[];
  /** References that are neither `${NAME}` nor `${NAME:-default}`, as written. */
  readonly malformed: readonly string[];
  /** Variables that were set and replaced, with their values, in order. */
  readonly used: readonly { readonly name: string; readonly value: string }[];
}

// `$${` first so an escape is never read as a reference; then a well-formed reference; then any
// other `${...` (unterminated, bad name, unsupported operator) so it is reported, not kept.
const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{[^}]*\}?/g;

/**
 * Expands `${NAME}` and `${NAME:-default}` in `text`; `$${` stands for a literal `${`.
 *
 * As in the shell, the default applies when the variable is unset or empty. Expansion is not
 * recursive: a value or default that contains `${` is taken literally.
 */
export function expandEnv(text: string, env: Env): EnvExpansion {
  const missing: string[] = [];
  const malformed: string[] = [];
  const used: { name: string; value: string }[] = [];
  let substituted = false;
  const value = text.replace(REFERENCE, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === '$${') return '${';
    if (name === undefined) {
      malformed.push(match);
      return match;
    }
    substituted = true;
    const found = env[name];
    if (found) used.push({ name, value: found });
    if (fallback !== undefined) return found || fallback;
    if (found === undefined) missing.push(name);
    return found ?? '';
  });
  return { value, substituted, missing, malformed, used };
}
