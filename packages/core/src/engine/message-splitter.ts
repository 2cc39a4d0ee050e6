const FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/;

/**
 * Splits text into chunks of at most `max` characters for platforms with a length limit. Cuts
 * prefer a blank line, then a line end, then a space, and fall inside a fenced code block only
 * when the block alone is longer than `max`: it is then closed at the end of one chunk and
 * reopened (same fence and info string) at the start of the next, so every message renders as
 * code. Otherwise the chunks concatenate to exactly the input.
 */
export function splitMessage(text: string, max: number): string[] {
  if (max < 16) throw new RangeError('splitMessage: max must be at least 16');
  const chunks: string[] = [];
  let rest = text;
  let reopen = '';
  while (rest.length > 0) {
    const prefix = reopen;
    const budget = max - prefix.length;
    if (prefix.length + rest.length <= max) {
      chunks.push(prefix + rest);
      break;
    }
    const window = rest.slice(0, budget);
    const fences = openFences(prefix + window);
    // The block a cut before window offset `i` leaves open, if any.
    const openAt = (i: number) => fences[prefix.length + i - 1];
    let cut = bestCut(window, (i) => !openAt(i));
    let closing = '';
    reopen = '';
    if (cut <= 0) {
      // No safe cut: the window is inside a code block longer than the limit.
      const open = openAt(budget);
      if (open) {
        closing = `\n${open.fence}`;
        cut = bestCut(window.slice(0, budget - closing.length), () => true);
        if (cut <= 0) cut = budget - closing.length;
        reopen = `${open.fence}${open.info}\n`;
        if (window[cut - 1] === '\n') closing = open.fence;
      } else {
        cut = budget;
      }
    }
    chunks.push(prefix + rest.slice(0, cut) + closing);
    rest = rest.slice(cut);
  }
  return chunks;
}

interface OpenFence {
  readonly fence: string;
  readonly info: string;
}

/** The code block open at each offset of `text`; undefined outside blocks and on closing fence lines. */
function openFences(text: string): (OpenFence | undefined)[] {
  const at: (OpenFence | undefined)[] = [];
  let open: OpenFence | undefined;
  for (const line of text.split('\n')) {
    const match = FENCE.exec(line);
    if (match) {
      const marker = match[2] ?? '';
      const info = (match[3] ?? '').trim();
      if (!open) open = { fence: marker, info };
      else if (marker[0] === open.fence[0] && marker.length >= open.fence.length && !info) open = undefined;
    }
    for (let i = 0; i <= line.length; i++) at.push(open);
  }
  return at;
}

/** The latest good cut position in `window` (chunk = window[0, cut)), or 0 when none. */
function bestCut(window: string, safe: (i: number) => boolean): number {
  const candidates = [/\n\n/g, /\n/g, / /g];
  for (const re of candidates) {
    let best = 0;
    for (const match of window.matchAll(re)) {
      const cut = (match.index ?? 0) + match[0].length;
      if (cut < window.length + 1 && safe(cut)) best = cut;
    }
    // A cut in the first quarter makes a stub of a message; prefer a weaker boundary further on.
    if (best > window.length / 4) return best;
  }
  for (let i = window.length; i > 0; i--) if (safe(i)) return i;
  return 0;
}
