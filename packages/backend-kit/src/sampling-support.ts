import type { SamplingOptions } from '@confab/core';

/**
 * Warnings for the sampling options a backend cannot honour, for its `stream-start` part: an
 * option is reported, never silently dropped.
 *
 * @param sampling the request's options
 * @param supported the options the backend maps to its server's parameters
 * @param backend what to name in the warning, e.g. `ollama 'local'`
 */
export function unsupportedSamplingWarnings(
  sampling: SamplingOptions,
  supported: readonly (keyof SamplingOptions)[],
  backend: string,
): string[] {
  return (Object.keys(sampling) as (keyof SamplingOptions)[])
    .filter((key) => sampling[key] !== undefined && !supported.includes(key))
    .map((key) => `${backend}: sampling option '${key}' is not supported and was ignored`);
}
