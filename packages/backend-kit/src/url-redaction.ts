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
