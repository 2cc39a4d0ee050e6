import { type ConfabConfig, definePlugin, type PluginInstanceInfo, Tokens, z } from '@confab/core';
import { MemoryTransport } from './memory-transport.js';

const schema = z
  .object({
    /** Mates hosted as their own bot users; default: every configured mate. */
    mates: z.array(z.string()).optional(),
    echo: z.boolean().default(true),
    admins: z.array(z.string()).default([]),
    retain: z.number().int().positive().optional(),
    capabilities: z
      .object({
        maxMessageLength: z.number().int().positive().optional(),
        edits: z.boolean().optional(),
        minEditIntervalMs: z.number().int().min(0).optional(),
        threads: z.boolean().optional(),
        history: z.boolean().optional(),
        typing: z.boolean().optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

/** `plugin: "@confab/testkit/memory-transport"`: an in-memory platform for tests. */
export default definePlugin({
  name: '@confab/testkit/memory-transport',
  kind: 'transport',
  configSchema: schema,
  register(container, config) {
    container.register(Tokens.Transport, {
      useFactory: (c) => {
        const instance = c.resolve<PluginInstanceInfo>(Tokens.PluginInstance);
        const all = c.resolve<ConfabConfig>(Tokens.Config);
        return new MemoryTransport({
          name: instance.name,
          mates: config.mates ?? all.mates.map((m) => m.name),
          echo: config.echo,
          admins: config.admins,
          ...(config.retain !== undefined ? { retain: config.retain } : {}),
          capabilities: Object.fromEntries(
            Object.entries(config.capabilities).filter(([, v]) => v !== undefined),
          ),
        });
      },
    });
  },
});
