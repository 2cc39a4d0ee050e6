import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Bot,
  configSchema,
  type LoadedConfig,
  MemoryStore,
  type PluginDefinition,
  type PluginInstanceConfig,
  type PluginKind,
} from '@confab/core';
import { MemoryTransport, memoryTransportPlugin } from '@confab/testkit';
import type { LlamaCppBackend } from '../src/llamacpp-backend.js';
import plugin from '../src/plugin.js';

function instance(
  kind: PluginKind,
  name: string,
  definition: PluginDefinition,
  section: unknown,
): PluginInstanceConfig {
  return {
    info: { name, kind, specifier: definition.name, configDir: tmpdir() },
    definition,
    config: definition.configSchema.parse(section),
  };
}

/** A bot wired from the memory transport and this backend (as `local`), without a config file. */
export function llamaBot(section: Record<string, unknown>, core: Record<string, unknown> = {}) {
  const raw = {
    transports: [{ name: 'memory', plugin: memoryTransportPlugin.name }],
    backends: [{ name: 'local', plugin: plugin.name, ...section }],
    mates: [{ name: 'ada', backend: 'local', profile: 'default', system: 'You are Ada.' }],
    store: { path: ':memory:' },
    ...core,
  };
  const loaded: LoadedConfig = {
    file: join(tmpdir(), 'confab-llamacpp-test.yaml'),
    config: configSchema.parse(raw),
    transports: [instance('transport', 'memory', memoryTransportPlugin, {})],
    backends: [instance('backend', 'local', plugin, section)],
    commands: [],
    warnings: [],
  };
  const bot = Bot.create(loaded, { store: new MemoryStore() });
  return {
    bot,
    transport: bot.transports.require('memory') as MemoryTransport,
    backend: bot.backends.require('local') as unknown as LlamaCppBackend,
  };
}

/** Texts of the replies the bot finished, by job, in the order they finished. */
export function finishedReplies(bot: Bot): { conversation: string; text: string }[] {
  const replies: { conversation: string; text: string }[] = [];
  bot.events.on('reply.sent', (event) =>
    replies.push({ conversation: event.conversation, text: event.text }),
  );
  return replies;
}
