import { serverRetrySchema } from '@confab/backend-kit';
import { z } from '@confab/core';

const baseURL = z
  .string()
  .url('a URL such as "http://127.0.0.1:8000/v1"')
  .refine(
    (value) => /^https?:\/\//.test(value),
    'an http:// or https:// URL such as "http://127.0.0.1:8000/v1"',
  );

/**
 * Chat-completions parameters a profile sets for every request (the mate's own sampling wins
 * where both say something). Names are the API's own.
 */
export const openaiOptionsSchema = z
  .object({
    temperature: z.number().min(0).max(2).optional(),
    /** Most tokens per reply. */
    max_tokens: z.number().int().positive().optional(),
    top_p: z.number().min(0).max(1).optional(),
    seed: z.number().int().optional(),
    frequency_penalty: z.number().min(-2).max(2).optional(),
    presence_penalty: z.number().min(-2).max(2).optional(),
  })
  .strict();

/** One profile: a model on an OpenAI-compatible server, with its options and capacity. */
export const openaiProfileSchema = z
  .object({
    /** Model id as the server lists it (`GET /models`). */
    model: z.string().min(1),
    /** This profile's server, when it is not the backend's `baseURL`. */
    baseURL: baseURL.optional(),
    /** This profile's API key, when it is not the backend's `apiKey`. */
    apiKey: z.string().optional(),
    options: openaiOptionsSchema.default({}),
    /** Replies the scheduler sends at once; match what the server runs in parallel. */
    parallel: z.number().int().min(1).max(256).default(1),
    /** The model's context window, for the history budget. */
    contextTokens: z.number().int().positive().default(4096),
  })
  .strict();

/** Config section of `@confab/backend-openai` (every key of its `backends[]` entry but `name` and `plugin`). */
export const openaiBackendConfigSchema = z
  .object({
    /** The server's API base, e.g. "http://127.0.0.1:11434/v1"; default `$OPENAI_BASE_URL`. */
    baseURL: baseURL.optional(),
    /**
     * API key; default `$OPENAI_API_KEY`. Local servers usually need none; empty means none, so
     * `${MY_KEY:-}` works. Never logged.
     */
    apiKey: z.string().optional(),
    /** At start, check that the server lists every profile's model (turn off for servers without `GET /models`). */
    checkModels: z.boolean().default(true),
    /** How the backend waits for a server that went away. */
    retry: serverRetrySchema,
    profiles: z.record(openaiProfileSchema).refine((p) => Object.keys(p).length > 0, 'at least one profile'),
  })
  .strict();

export type OpenAIBackendConfig = z.output<typeof openaiBackendConfigSchema>;
export type OpenAIProfile = z.output<typeof openaiProfileSchema>;
export type OpenAIOptions = z.output<typeof openaiOptionsSchema>;
