const FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/;

/**
 * Splits text into chunks of at most `max` characters for platforms with a length limit.
 *
 * Cuts prefer, in order: a blank line, a line end, a space — and never fall inside a fenced
 * code block when a cut outside one exists. A single code block longer than `max` is closed at
 * the end of one chunk and reopened (same fence and info string) at the start of the next, so
 * every message renders as code; only then do the chunks differ from the input by the added
 * fence lines. Otherwise the chunks concatenate to exactly the input.
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
    const fences = fenceState(prefix + window, prefix.length);
    let cut = bestCut(window, fences.safeAt);
    let closing = '';
    reopen = '';
    if (cut <= 0) {
      // No safe cut: the window is inside a code block longer than the limit.
      const open = fences.openAt(budget);
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

/** Which offsets of `window` (relative to its start after `skip`) are outside code blocks. */
function fenceState(text: string, skip: number) {
  const inside: boolean[] = [];
  const openAtOffset: (OpenFence | undefined)[] = [];
  let open: OpenFence | undefined;
  let offset = 0;
  for (const line of text.split('\n')) {
    const match = FENCE.exec(line);
    const lineStart = offset;
    offset += line.length + 1;
    if (match) {
      const marker = match[2] ?? '';
      if (!open) open = { fence: marker, info: (match[3] ?? '').trim() };
      else if (
        marker[0] === open.fence[0] &&
        marker.length >= open.fence.length &&
        !(match[3] ?? '').trim()
      ) {
        open = undefined;
        for (let i = lineStart; i < offset; i++) {
          inside[i] = false;
          openAtOffset[i] = undefined;
        }
        continue;
      }
    }
    for (let i = lineStart; i < offset; i++) {
      inside[i] = open !== undefined;
      openAtOffset[i] = open;
    }
  }
  return {
    /** A cut before window offset `i` leaves no block open. */
    safeAt: (i: number) => !inside[skip + i - 1],
    openAt: (i: number) => openAtOffset[skip + i - 1],
  };
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
  for (let i = window.length; i > 0; i--) if (safe(i)) return i === window.length ? i : i;
  return 0;
}
