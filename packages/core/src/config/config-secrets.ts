// Keys and variable names that hold credentials: `token`, `apiKey`, `accessToken`, `password`,
// `clientSecret`, `authorization`, `OPENAI_API_KEY`, `DISCORD_TOKEN`, ...
const SECRET_KEY = /token|api_?key|password|passwd|secret|authorization|credential/i;
const SECRET_VARIABLE = /token|key|password|passwd|secret|credential/i;

/**
 * Shorter values are not collected: redacting a short common string everywhere would mangle
 * logs, and a credential that short protects nothing anyway.
 */
export const MIN_SECRET_LENGTH = 8;

/** Whether a config key names a secret (`token`, `apiKey`, `password`, ...). */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Whether an environment variable's name says it holds a secret (`OPENAI_API_KEY`, ...). */
export function isSecretVariable(name: string): boolean {
  return SECRET_VARIABLE.test(name);
}

/** Whether `value` is long enough to be redacted by value. */
export function isRedactable(value: string): boolean {
  return value.length >= MIN_SECRET_LENGTH;
}

/** The string values in `data` under secret keys (at any depth, whole subtrees included). */
export function secretValues(data: unknown, found = new Set<string>(), underSecret = false): Set<string> {
  if (typeof data === 'string') {
    if (underSecret && isRedactable(data)) found.add(data);
  } else if (Array.isArray(data)) {
    for (const item of data) secretValues(item, found, underSecret);
  } else if (data !== null && typeof data === 'object') {
    for (const [key, value] of Object.entries(data)) {
      secretValues(value, found, underSecret || isSecretKey(key));
    }
  }
  return found;
}
