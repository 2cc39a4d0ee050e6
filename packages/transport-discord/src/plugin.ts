import { definePlugin, Tokens } from '@confab/core';
import type { DependencyContainer } from 'tsyringe';
import { discordTransportConfigSchema } from './config.js';
import { DiscordTransport } from './discord-transport.js';

/**
 * `@confab/transport-discord`: each mate is its own Discord bot account.
 *
 * ```yaml
 * transports:
 *   - name: discord
 *     plugin: '@confab/transport-discord'
 *     accounts:
 *       - mate: ada
 *         token: ${ADA_DISCORD_TOKEN}
 * ```
 */
const discordTransportPlugin = definePlugin({
  name: '@confab/transport-discord',
  kind: 'transport',
  configSchema: discordTransportConfigSchema,
  register(container: DependencyContainer) {
    // A singleton of this child container: nothing connects until the bot starts it.
    container.registerSingleton(Tokens.Transport, DiscordTransport);
  },
});

export default discordTransportPlugin;
