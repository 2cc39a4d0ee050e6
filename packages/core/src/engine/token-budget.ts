import type { Backend, BackendMessage } from '../backend/backend.js';

/**
 * Estimate used when a backend cannot count tokens: about four characters a token (English
 * prose with common tokenizers), plus four tokens of per-message formatting. It errs towards
 * more tokens, so trimmed history still fits.
 */
export function estimateTokens(system: string, messages: readonly BackendMessage[]): number {
  let chars = system.length;
  for (const m of messages) chars += m.content.length + (m.name?.length ?? 0);
  return Math.ceil(chars / 4) + 4 * (messages.length + 1);
}

/** Who counts a prompt's tokens: a backend's profile and the mate's system prompt. */
export interface PromptModel {
  readonly backend: Backend;
  readonly profile: string;
  readonly system: string;
}

/**
 * Drops the oldest messages until the prompt fits `budget` tokens, counting with the backend
 * when it can; the last message is always kept. Binary search keeps the counts logarithmic.
 * A list that fits is returned as it is, not copied.
 */
export async function trimToBudget(
  model: PromptModel,
  messages: readonly BackendMessage[],
  budget: number,
): Promise<readonly BackendMessage[]> {
  if ((await countTokens(model, messages)) <= budget) return messages;
  // Find the smallest start index whose suffix fits.
  let lo = 1;
  let hi = messages.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((await countTokens(model, messages.slice(mid))) <= budget) hi = mid;
    else lo = mid + 1;
  }
  return messages.slice(lo);
}

/** Tokens of a prompt, as the backend counts them or else {@link estimateTokens}. */
function countTokens(
  { backend, profile, system }: PromptModel,
  messages: readonly BackendMessage[],
): Promise<number> | number {
  return backend.countTokens
    ? backend.countTokens(profile, system, messages)
    : estimateTokens(system, messages);
}
