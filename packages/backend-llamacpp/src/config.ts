import { z } from '@confab/core';

/** Sampling defaults of a profile; a mate's own `sampling` overrides them per request. */
export const profileSamplingSchema = z
  .object({
    temperature: z.number().min(0).max(5).optional(),
    topK: z.number().int().min(0).optional(),
    topP: z.number().gt(0).max(1).optional(),
    minP: z.number().min(0).max(1).optional(),
    repeatPenalty: z.number().min(0).optional(),
    seed: z.number().int().min(0).optional(),
    maxTokens: z.number().int().positive().default(512),
    /** Never end on the end-of-generation tokens (fixed-length output, for benchmarks). */
    ignoreEos: z.boolean().default(false),
  })
  .strict();

/** One worker profile: a model and how many conversations run on it at once. */
export const profileSchema = z
  .object({
    /** A GGUF file (relative to the config file) or a model URI (`hf:user/repo:quant`, `https://...gguf`). */
    model: z.string().min(1),
    /** Context window per conversation, in tokens. */
    contextSize: z.number().int().min(64).default(4096),
    /** Conversations each worker generates together, on one context's sequences. */
    sequences: z.number().int().positive().max(64).default(4),
    /** Workers (model copies) kept alive. */
    workers: z.number().int().positive().max(64).default(1),
    /** `process`: each worker is a child process (a native crash cannot take the bot down); `inline`: in this process. */
    mode: z.enum(['process', 'inline']).default('process'),
    gpu: z.enum(['auto', 'off', 'cuda', 'vulkan', 'metal']).default('auto'),
    /** Layers offloaded to the GPU: a number, `auto` or `max`. */
    gpuLayers: z.union([z.number().int().min(0), z.enum(['auto', 'max'])]).default('auto'),
    /** CPU threads per worker; default from the machine's cores (not the library's default). */
    threads: z.number().int().positive().optional(),
    /** Tokens evaluated per batch; default the library's. */
    batchSize: z.number().int().positive().optional(),
    sampling: profileSamplingSchema.default({}),
  })
  .strict();

/** The backend's config section. */
export const llamaCppConfigSchema = z
  .object({
    /** Where model URIs are downloaded to (relative to the config file); default `~/.cache/confab/models`. */
    cacheDir: z.string().min(1).optional(),
    profiles: z.record(profileSchema).refine((profiles) => Object.keys(profiles).length > 0, {
      message: 'at least one profile',
    }),
  })
  .strict();

export type LlamaCppConfig = z.output<typeof llamaCppConfigSchema>;
export type ProfileConfig = z.output<typeof profileSchema>;
export type ProfileSampling = z.output<typeof profileSamplingSchema>;
