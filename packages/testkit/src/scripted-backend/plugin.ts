import { definePlugin, type PluginInstanceInfo, Tokens, z } from '@confab/core';
import { ScriptedBackend } from './scripted-backend.js';

const ruleSchema = z
  .object({
    match: z.string().refine((source) => {
      try {
        new RegExp(source);
        return true;
      } catch {
        return false;
      }
    }, 'a valid regular expression'),
    reply: z.string().optional(),
    fail: z.enum(['unavailable', 'overloaded', 'timeout', 'bad-request', 'internal']).optional(),
  })
  .strict();

const profileSchema = z
  .object({
    rules: z.array(ruleSchema).default([]),
    reply: z.string().optional(),
    chunkDelayMs: z.number().int().min(0).default(0),
    firstTokenDelayMs: z.number().int().min(0).default(0),
    chunkSize: z.number().int().positive().optional(),
    workers: z.number().int().positive().default(1),
    parallel: z.number().int().positive().default(4),
    contextTokens: z.number().int().positive().default(4096),
  })
  .strict();

const schema = z
  .object({ profiles: z.record(profileSchema), retain: z.number().int().positive().optional() })
  .strict();

/** `plugin: "@confab/testkit/scripted-backend"`: replies from a script, no model needed. */
export default definePlugin({
  name: '@confab/testkit/scripted-backend',
  kind: 'backend',
  configSchema: schema,
  register(container, config) {
    container.register(Tokens.Backend, {
      useFactory: (c) =>
        new ScriptedBackend(
          c.resolve<PluginInstanceInfo>(Tokens.PluginInstance).name,
          config.profiles,
          config.retain !== undefined ? { retain: config.retain } : {},
        ),
    });
  },
});
