import { z } from 'zod';

// A schema's `{ message }` is what "missing; expected ..." and "found X, expected ..." say.
const NAME = 'a name of letters, digits, "_", "." or "-"';
// Letters and digits of any script, as chat platforms allow in names (`İstanbul`, `Zoë`, `大`),
// and after the first character the combining marks some scripts write words with (`हिन्दी`).
const name = z.string({ message: NAME }).regex(/^[\p{L}\p{N}][\p{L}\p{N}\p{M}_.-]*$/u, NAME);

/** Package specifier of a plugin: an npm package name, optionally with a subpath. */
const PLUGIN = 'a package name such as "@confab/transport-console"';
const pluginSpecifier = z.string({ message: PLUGIN }).min(1, PLUGIN);

function listOfSome<T extends z.ZodTypeAny>(item: T, what: string) {
  return z.array(item, { message: `a list with at least one ${what}` }).min(1, `at least one ${what}`);
}

/**
 * A `transports[]`, `backends[]` or `commands.plugins[]` entry as core sees it: core owns `name`
 * and `plugin`; every other key belongs to the plugin and is validated by its schema.
 */
export const pluginEntrySchema = z.object({ name: name.optional(), plugin: pluginSpecifier }).passthrough();

export const backendEntrySchema = pluginEntrySchema.extend({
  name,
  profiles: z.record(name, z.unknown()).refine((p) => Object.keys(p).length > 0, 'at least one profile'),
});

export const samplingSchema = z
  .object({
    temperature: z.number().min(0).max(5).optional(),
    topK: z.number().int().min(0).optional(),
    topP: z.number().min(0).max(1).optional(),
    minP: z.number().min(0).max(1).optional(),
    repeatPenalty: z.number().min(0).optional(),
    seed: z.number().int().optional(),
    maxTokens: z.number().int().positive().optional(),
  })
  .strict();

export const mateSchema = z
  .object({
    name,
    /** The system prompt. */
    system: z.string().default(''),
    backend: name,
    profile: name,
    /** Profiles `!profile` may switch to; the default profile is always allowed. */
    profiles: z.array(name).default([]),
    /** Display name on platforms that let confab choose it. */
    displayName: z.string().optional(),
    triggers: z
      .object({
        mention: z.boolean().default(true),
        reply: z.boolean().default(true),
        direct: z.boolean().default(true),
        keywords: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .default({}),
    scope: z.enum(['per-user', 'per-room']).default('per-user'),
    history: z
      .object({
        source: z.enum(['auto', 'platform', 'store']).default('auto'),
        maxMessages: z.number().int().min(0).max(10_000).default(50),
      })
      .strict()
      .default({}),
    sampling: samplingSchema.default({}),
  })
  .strict();

export const engineSchema = z
  .object({
    /** Whether mates answer other bots (each other) in rooms. */
    botToBot: z
      .object({
        enabled: z.boolean().default(false),
        /** Bot-to-bot replies allowed per human message. */
        turnBudget: z.number().int().min(0).default(4),
        /** Minimum pause before a mate answers another bot, in ms. */
        cooldownMs: z.number().int().min(0).default(1000),
      })
      .strict()
      .default({}),
    /** A new message from the same user in the same conversation cancels the reply in progress. */
    supersede: z.boolean().default(false),
    /** How long the processed-event ids are remembered, in hours. */
    dedupeHours: z.number().positive().default(72),
  })
  .strict();

export const schedulerSchema = z
  .object({
    plugin: pluginSpecifier.optional(),
    /** Most jobs waiting per backend profile. */
    maxQueue: z.number().int().positive().default(256),
    /** Most jobs waiting or running per user. */
    maxPerUser: z.number().int().positive().default(8),
    /** A job that runs longer is cancelled, in ms. */
    jobTimeoutMs: z.number().int().positive().default(180_000),
    batching: z
      .object({
        /** Start a batch once this many jobs wait... */
        minJobs: z.number().int().positive().default(1),
        /** ...or after this many ms, whichever is first. */
        maxWaitMs: z.number().int().min(0).default(0),
      })
      .strict()
      .default({}),
  })
  .passthrough();

export const commandsSchema = z
  .object({
    prefix: z.string().min(1).max(8).default('!'),
    /** Platform user ids allowed to run room-wide commands anywhere. */
    admins: z.array(z.string().min(1)).default([]),
    /** Who may run room-wide commands where the platform knows no admins. */
    roomCommands: z.enum(['admins', 'anyone']).default('admins'),
    plugins: z.array(pluginEntrySchema).default([]),
  })
  .strict();

export const storeSchema = z
  .object({
    plugin: pluginSpecifier.optional(),
    /** Directory of the embedded store, relative to the config file. */
    path: z.string().min(1).default('./confab.data'),
  })
  .passthrough();

export const logSchema = z
  .object({
    level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  })
  .strict();

/** The whole config file as core validates it. */
export const configSchema = z
  .object({
    transports: listOfSome(pluginEntrySchema, 'transport'),
    backends: listOfSome(backendEntrySchema, 'backend'),
    mates: listOfSome(mateSchema, 'mate'),
    engine: engineSchema.default({}),
    scheduler: schedulerSchema.default({}),
    commands: commandsSchema.default({}),
    store: storeSchema.default({}),
    log: logSchema.default({}),
  })
  .strict();

export type ConfabConfig = z.output<typeof configSchema>;
export type MateConfig = z.output<typeof mateSchema>;
export type EngineConfig = z.output<typeof engineSchema>;
export type SchedulerConfig = z.output<typeof schedulerSchema>;
export type CommandsConfig = z.output<typeof commandsSchema>;
export type StoreConfig = z.output<typeof storeSchema>;
export type SamplingConfig = z.output<typeof samplingSchema>;
export type PluginEntry = z.output<typeof pluginEntrySchema>;
