// A URL's scheme and user information (`user:password@`), up to the last `@` before its path.
const WITH_SCHEME = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi;
// `user:password@host` written without a scheme, as a config value may be.
const WITHOUT_SCHEME = /(^|[\s"'(])[^\s/?#@:"'()]+:[^\s/?#@"']*@/g;

/**
 * A URL, or a text with URLs in it (an error message, a config value), with each URL's user
 * name and password replaced by `[redacted]`, for logs and messages: `http://[redacted]@host`.
 * The rest is kept as written.
 */
export function redactUrl(text: string): string {
  return text.replace(WITH_SCHEME, '$1[redacted]@').replace(WITHOUT_SCHEME, '$1[redacted]@');
}
