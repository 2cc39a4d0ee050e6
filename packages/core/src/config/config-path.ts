/** A location inside the config document: mapping keys and list indices, outermost first. */
export type ConfigPath = readonly (string | number)[];

// Words of any script, as names may be (`profiles.küçük`).
const PLAIN_KEY = /^[\p{L}_][\p{L}\p{N}\p{M}_-]*$/u;

/**
 * Formats a path as people write it: `mates[1].backend`, `backends[0].profiles.small.model`.
 * Keys that are not plain words (profile names with dots, spaces) are quoted: `profiles["v1.5"]`.
 */
export function formatPath(path: ConfigPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

const SEGMENT = /\.?([\p{L}_][\p{L}\p{N}\p{M}_-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([^.[]+)/guy;

/** Reads a path written by {@link formatPath} (or by a plugin in a warning) back into segments. */
export function parsePath(text: string): (string | number)[] {
  const segments: (string | number)[] = [];
  SEGMENT.lastIndex = 0;
  for (let match = SEGMENT.exec(text); match; match = SEGMENT.exec(text)) {
    const [, word, index, quoted, other] = match;
    if (word !== undefined) segments.push(word);
    else if (index !== undefined) segments.push(Number(index));
    else if (quoted !== undefined) segments.push(JSON.parse(quoted) as string);
    else if (other !== undefined) segments.push(other);
  }
  return segments;
}
