import { z } from '@confab/core';

/**
 * The `retry` key of a remote backend's config: how it waits for a model server that went away
 * (the pauses of {@link ServerHealth}). Shared so every HTTP backend takes the same keys.
 */
export const serverRetrySchema = z
  .object({
    /** First pause before probing the server again, in ms; it doubles after each failed probe. */
    initialDelayMs: z.number().int().positive().default(500),
    /** Longest pause between probes, in ms. */
    maxDelayMs: z.number().int().positive().default(30_000),
  })
  .strict()
  .default({});

export type ServerRetryConfig = z.output<typeof serverRetrySchema>;
