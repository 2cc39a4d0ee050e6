import { describe, expect, it } from 'vitest';
import type { BackendMessage } from '../../src/backend/backend.js';
import { estimateTokens, trimToBudget } from '../../src/engine/token-budget.js';

const history: BackendMessage[] = Array.from({ length: 9 }, (_, i) => ({
  role: i % 2 === 0 ? 'user' : 'assistant',
  content: `message ${i}`,
}));

/** Ten tokens a message, counted the way a backend would, recording every call. */
function counter() {
  const calls: number[] = [];
  const count = (messages: readonly BackendMessage[]) => {
    calls.push(messages.length);
    return 10 * messages.length;
  };
  return { calls, count };
}

describe('trimToBudget', () => {
  it('returns a list that fits as it is, after counting it once', async () => {
    const { calls, count } = counter();
    expect(await trimToBudget(history, 90, count)).toBe(history);
    expect(calls).toEqual([9]);
  });

  it('drops the oldest messages until the rest fits, with logarithmically many counts', async () => {
    const { calls, count } = counter();
    const kept = await trimToBudget(history, 35, count);
    expect(kept).toEqual(history.slice(6));
    expect(calls.length).toBeLessThanOrEqual(1 + Math.ceil(Math.log2(history.length)));
  });

  it('keeps the last message even when it alone is over the budget', async () => {
    const { count } = counter();
    expect(await trimToBudget(history, 5, count)).toEqual([history[8]]);
  });

  it('takes asynchronous counters, such as a tokenizer behind a call', async () => {
    const kept = await trimToBudget(history, 20, async (messages) => 10 * messages.length);
    expect(kept).toEqual(history.slice(7));
  });

  it('trims by the estimate for backends that cannot tokenize', async () => {
    const system = 'You are terse.';
    const budget = estimateTokens(system, history.slice(4));
    const kept = await trimToBudget(history, budget, (messages) => estimateTokens(system, messages));
    expect(kept).toEqual(history.slice(4));
  });
});
