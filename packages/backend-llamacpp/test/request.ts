import type { GenerateRequest, StreamPart } from '@confab/core';

/** A chat request for the backend's `default` profile, with a prompt budget it never reaches. */
export function request(text: string, overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    profile: 'default',
    system: 'You are Ada.',
    messages: [{ role: 'user', content: text }],
    maxPromptTokens: 100_000,
    sampling: {},
    signal: new AbortController().signal,
    ...overrides,
  };
}

/** Drains a stream into its text and its last part. */
export async function collect(parts: AsyncIterable<StreamPart>): Promise<{ text: string; last: StreamPart }> {
  let text = '';
  let last: StreamPart | undefined;
  for await (const part of parts) {
    if (part.type === 'text-delta') text += part.text;
    last = part;
  }
  if (!last) throw new Error('empty stream');
  return { text, last };
}
