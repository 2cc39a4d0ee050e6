import { serverRetrySchema } from '@confab/backend-kit';
import { z } from '@confab/core';

/** An Ollama server's base URL. */
const host = z
  .string()
  .url('a URL such as "http://127.0.0.1:11434"')
  .refine(
    (value) => /^https?:\/\//.test(value),
    'an http:// or https:// URL such as "http://127.0.0.1:11434"',
  );

/** Ollama's `keep_alive`: seconds, or a duration such as "5m" ("-1" keeps the model loaded). */
const keepAlive = z.union([
  z.number().int(),
  z.string().regex(/^-?\d+(\.\d+)?(ms|s|m|h)?$/, 'a duration such as "5m"'),
]);

/**
 * Ollama options a profile sets for every request (the mate's own sampling wins where both say
 * something). Names are Ollama's own, so its documentation applies.
 */
export const ollamaOptionsSchema = z
  .object({
    temperature: z.number().min(0).max(5).optional(),
    /** Most tokens per reply (-1: until the model stops). */
    num_predict: z.number().int().min(-1).optional(),
    /** Context window the server loads the model with. */
    num_ctx: z.number().int().positive().optional(),
    top_p: z.number().min(0).max(1).optional(),
    top_k: z.number().int().min(0).optional(),
    min_p: z.number().min(0).max(1).optional(),
    repeat_penalty: z.number().min(0).optional(),
    seed: z.number().int().optional(),
    /** CPU threads per request batch; on small machines 1 is often fastest (default: the server's choice). */
    num_thread: z.number().int().positive().optional(),
    /** How long the server keeps the model loaded after a request. */
    keep_alive: keepAlive.optional(),
  })
  .strict();

/** One profile: a model on an Ollama server, with its options and how much it runs at once. */
export const ollamaProfileSchema = z
  .object({
    /** Model name as Ollama knows it (`ollama list`), e.g. "qwen2.5:0.5b". */
    model: z.string().min(1),
    /** This profile's server, when it is not the backend's `host`. */
    host: host.optional(),
    options: ollamaOptionsSchema.default({}),
    /** Replies the scheduler sends at once; match the server's OLLAMA_NUM_PARALLEL. */
    parallel: z.number().int().min(1).max(256).default(1),
    /** Context window for the history budget; default `options.num_ctx`, else the model's, at most 4096. */
    contextTokens: z.number().int().positive().optional(),
  })
  .strict();

/** Config section of `@confab/backend-ollama` (every key of its `backends[]` entry but `name` and `plugin`). */
export const ollamaBackendConfigSchema = z
  .object({
    /** The Ollama server, e.g. "http://127.0.0.1:11434". */
    host: host.default('http://127.0.0.1:11434'),
    /** At start, pull a model the server does not have (with progress in the log) instead of failing. */
    pull: z.boolean().default(false),
    /** How the backend waits for a server that went away. */
    retry: serverRetrySchema,
    profiles: z.record(ollamaProfileSchema).refine((p) => Object.keys(p).length > 0, 'at least one profile'),
  })
  .strict();

export type OllamaBackendConfig = z.output<typeof ollamaBackendConfigSchema>;
export type OllamaProfile = z.output<typeof ollamaProfileSchema>;
export type OllamaOptions = z.output<typeof ollamaOptionsSchema>;
