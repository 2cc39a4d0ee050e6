import { definePlugin, type MateConfig, type PluginInstanceInfo, Tokens, z } from '@confab/core';
import { MemoryTransport } from './memory-transport.js';

const schema = z
  .object({
    /** Mates hosted as their own bot users; default: every configured mate. */
    mates: z.array(z.string()).optional(),
    echo: z.boolean().default(true),
    admins: z.array(z.string()).default([]),
    retain: z.number().int().positive().optional(),
    /** What the pretend platform offers: its limits, and whether it keeps history and shows typing. */
    capabilities: z
      .object({
        maxMessageLength: z.number().int().positive().optional(),
        edits: z.boolean().optional(),
        minEditIntervalMs: z.number().int().min(0).optional(),
        history: z.boolean().default(false),
        typing: z.boolean().default(true),
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
        const mates = c.resolve<readonly MateConfig[]>(Tokens.Mates);
        return new MemoryTransport({
          name: instance.name,
          mates: config.mates ?? mates.map((m) => m.name),
          echo: config.echo,
          admins: config.admins,
          ...(config.retain !== undefined ? { retain: config.retain } : {}),
          history: config.capabilities.history,
          typing: config.capabilities.typing,
          capabilities: Object.fromEntries(
            Object.entries(config.capabilities).filter(
              ([key, value]) => value !== undefined && key !== 'history' && key !== 'typing',
            ),
          ),
        });
      },
    });
  },
});
