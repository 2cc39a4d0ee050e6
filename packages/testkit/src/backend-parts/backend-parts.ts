import { createServer } from 'node:net';
import type { BackendMessage, GenerateRequest, SamplingOptions, StreamPart } from '@confab/core';

/**
 * A generate request for backend tests: no system prompt, default sampling, a fresh signal, and
 * a prompt budget no test history reaches unless `maxPromptTokens` says otherwise.
 */
export function chatRequest(
  profile: string,
  messages: readonly BackendMessage[],
  options: {
    system?: string;
    signal?: AbortSignal;
    sampling?: SamplingOptions;
    maxPromptTokens?: number;
  } = {},
): GenerateRequest {
  return {
    profile,
    system: options.system ?? '',
    messages,
    maxPromptTokens: options.maxPromptTokens ?? 1_000_000,
    sampling: options.sampling ?? {},
    signal: options.signal ?? new AbortController().signal,
  };
}

/** Every part of a backend's stream, in order. */
export async function collectParts(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

/** The text the text-delta parts add up to. */
export function partsText(parts: readonly StreamPart[]): string {
  return parts.map((part) => (part.type === 'text-delta' ? part.text : '')).join('');
}

/** A loopback port nobody listens on, for "server unreachable" tests. */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
