import {
  type MateConfig,
  ConfabError,
  definePlugin,
  type EventBus,
  type Logger,
  type PluginInstanceInfo,
  Tokens,
} from '@confab/core';
import { type DependencyContainer, instanceCachingFactory } from 'tsyringe';
import { type ConsoleTransportConfig, checkConsoleConfig, consoleTransportConfigSchema } from './config.js';
import { ConsoleTransport } from './console-transport.js';
import { type ConsoleStreams, ConsoleTokens } from './console-tokens.js';

/** Mate names of the bot, when the bot made its config injectable (it does; a bare test container may not). */
function configuredMates(container: DependencyContainer): string[] {
  if (!container.isRegistered(Tokens.Mates, true)) return [];
  return container.resolve<readonly MateConfig[]>(Tokens.Mates).map((mate) => mate.name);
}

function createTransport(container: DependencyContainer): ConsoleTransport {
  const config = container.resolve<ConsoleTransportConfig>(Tokens.PluginConfig);
  const instance = container.resolve<PluginInstanceInfo>(Tokens.PluginInstance);
  const logger = container.resolve<Logger>(Tokens.Logger);
  const events = container.isRegistered(Tokens.EventBus, true)
    ? container.resolve<EventBus>(Tokens.EventBus)
    : undefined;
  const streams: ConsoleStreams = container.isRegistered(ConsoleTokens.Streams, true)
    ? container.resolve<ConsoleStreams>(ConsoleTokens.Streams)
    : { input: process.stdin, output: process.stdout };
  const mates = configuredMates(container);
  if (config.mate !== undefined && mates.length > 0 && !mates.includes(config.mate)) {
    throw new ConfabError(
      'config.invalid',
      `transport '${instance.name}': mate '${config.mate}' is not configured; expected one of: ${mates.join(', ')}`,
    );
  }
  return new ConsoleTransport({
    name: instance.name,
    input: streams.input,
    output: streams.output,
    user: config.user,
    prompt: config.prompt,
    mates: mates.length > 0 ? mates : config.mate !== undefined ? [config.mate] : [],
    ...(config.mate !== undefined ? { defaultMate: config.mate } : {}),
    logger,
    // The console's intake is over for good; saying so on the bus lets the application decide
    // (the confab CLI stops the bot once every transport's intake has ended).
    onEnd: () => events?.emit('transport.stopped', { transport: instance.name }),
  });
}

/**
 * `@confab/transport-console`: talk to your mates from a terminal (stdin/stdout, one local user).
 *
 * ```yaml
 * transports:
 *   - name: console
 *     plugin: '@confab/transport-console'
 *     user: alice     # default: $USER
 * ```
 */
const consoleTransportPlugin = definePlugin({
  name: '@confab/transport-console',
  kind: 'transport',
  configSchema: consoleTransportConfigSchema,
  check: checkConsoleConfig,
  register(container) {
    // A factory, not a value: nothing touches stdin until the bot resolves and starts it. Cached,
    // because two transports on one stdin would each get half of the lines.
    container.register(Tokens.Transport, { useFactory: instanceCachingFactory(createTransport) });
  },
});

export default consoleTransportPlugin;
