import type { BackendMessage } from '../backend/backend.js';

/**
 * Estimate for backends that cannot tokenize locally: about four characters a token (English
 * prose with common tokenizers), plus four tokens of per-message formatting. It errs towards
 * more tokens, so trimmed history still fits.
 */
export function estimateTokens(system: string, messages: readonly BackendMessage[]): number {
  let chars = system.length;
  for (const m of messages) chars += m.content.length + (m.name?.length ?? 0);
  return Math.ceil(chars / 4) + 4 * (messages.length + 1);
}

/** Tokens a prompt of these messages takes (the system prompt is the counter's to include). */
export type TokenCounter = (messages: readonly BackendMessage[]) => number | Promise<number>;

/**
 * Drops the oldest messages until `count` says the prompt fits `budget` tokens; the last message
 * is always kept. For backends honouring `GenerateRequest.maxPromptTokens`. Binary search keeps
 * the counts logarithmic; a list that fits is returned as it is, not copied.
 */
export async function trimToBudget(
  messages: readonly BackendMessage[],
  budget: number,
  count: TokenCounter,
): Promise<readonly BackendMessage[]> {
  if ((await count(messages)) <= budget) return messages;
  // Find the smallest start index whose suffix fits.
  let lo = 1;
  let hi = messages.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((await count(messages.slice(mid))) <= budget) hi = mid;
    else lo = mid + 1;
  }
  return messages.slice(lo);
}
