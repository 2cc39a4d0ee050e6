/**
 * A URL's scheme and, when it has one, its user information (`user:password@`): everything up
 * to the last `@` before the path, query or fragment, as a URL parser reads it.
 */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi;

/**
 * A URL, or a text with URLs in it (an error message), with each URL's user name and password
 * replaced by `[redacted]`, for logs and messages: `http://[redacted]@host:11434`. The rest is
 * kept as written.
 */
export function redactUrl(text: string): string {
  return text.replace(USERINFO, '$1[redacted]@');
}

/**
 * Whether a URL carries a user name or password. Node's `fetch` refuses such URLs before it
 * connects (`Request cannot be constructed from a URL that includes credentials`), so a backend
 * on `fetch` can never use one: it should say so at start instead of "no server answers".
 */
export function hasUrlCredentials(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const { username, password } = new URL(url);
  return username !== '' || password !== '';
}
