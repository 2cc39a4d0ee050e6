import { resolve } from 'node:path';
import {
  definePlugin,
  type Logger,
  type MateConfig,
  type PluginInstanceInfo,
  type PluginWarning,
  type Store,
  Tokens,
} from '@confab/core';
import { type DependencyContainer, instanceCachingFactory } from 'tsyringe';
import { type MatrixTransportConfig, matrixTransportConfigSchema } from './config.js';
import { MatrixTransport } from './matrix-transport.js';

function createTransport(container: DependencyContainer): MatrixTransport {
  const config = container.resolve<MatrixTransportConfig>(Tokens.PluginConfig);
  const instance = container.resolve<PluginInstanceInfo>(Tokens.PluginInstance);
  const logger = container.resolve<Logger>(Tokens.Logger);
  const mates = container.isRegistered(Tokens.Mates, true)
    ? container.resolve<readonly MateConfig[]>(Tokens.Mates)
    : [];
  return new MatrixTransport({
    name: instance.name,
    config,
    mates,
    store: container.resolve<Store>(Tokens.Store),
    logger,
    ...(config.encryption
      ? { encryptionStorePath: resolve(instance.configDir, config.encryption.storePath) }
      : {}),
  });
}

/**
 * `@confab/transport-matrix`: mates as Matrix users (one per mate, or one user hosting several).
 *
 * ```yaml
 * transports:
 *   - name: matrix
 *     plugin: '@confab/transport-matrix'
 *     homeserver: https://matrix.example.org
 *     accounts:
 *       - mate: ada
 *         accessToken: ${MATRIX_ADA_TOKEN}
 * ```
 */
const matrixTransportPlugin = definePlugin({
  name: '@confab/transport-matrix',
  kind: 'transport',
  configSchema: matrixTransportConfigSchema,
  register(container) {
    // A factory: nothing connects until the bot starts the transport.
    container.register(Tokens.Transport, { useFactory: instanceCachingFactory(createTransport) });
  },
  check(config) {
    const warnings: PluginWarning[] = [];
    if (
      config.homeserver.startsWith('http://') &&
      !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(config.homeserver)
    ) {
      warnings.push({
        path: 'homeserver',
        message: 'plain http to a remote homeserver sends access tokens unencrypted; use https',
      });
    }
    return warnings;
  },
});

export default matrixTransportPlugin;
