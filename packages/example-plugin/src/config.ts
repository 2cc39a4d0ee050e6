import { z } from '@confab/core';

/** One profile: how loud the shouting is. */
export const shoutProfileSchema = z
  .object({
    /** Appended to every reply. */
    suffix: z.string().default('!'),
    /** Pause between two streamed words, in ms, to show streaming in a chat. */
    wordDelayMs: z.number().int().min(0).default(0),
  })
  .strict();

/**
 * The plugin's own config section: every key of its `backends[]` entry except `name` and
 * `plugin`. Strict, so a typo is reported by `confab check` with its line.
 */
export const shoutConfigSchema = z
  .object({
    profiles: z.record(shoutProfileSchema),
  })
  .strict();

export type ShoutConfig = z.output<typeof shoutConfigSchema>;
export type ShoutProfile = z.output<typeof shoutProfileSchema>;
