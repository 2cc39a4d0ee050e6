import { userInfo } from 'node:os';
import { type PluginCheckContext, type PluginWarning, z } from '@confab/core';

/** Who is typing: $USER (or the OS account name) when known, else "you". */
function defaultUserName(): string {
  const fromEnv = process.env.USER ?? process.env.USERNAME;
  if (fromEnv) return fromEnv;
  try {
    return userInfo().username || 'you';
  } catch {
    // userInfo() throws for uids without a passwd entry (common in containers).
    return 'you';
  }
}

/** Config section of `@confab/transport-console` (every key of its `transports[]` entry but `name` and `plugin`). */
export const consoleTransportConfigSchema = z
  .object({
    /** Display name of the local user, as mates see it. */
    user: z.string().min(1).default(defaultUserName),
    /** Prompt shown before each input line; only on an interactive terminal. */
    prompt: z.string().default('> '),
    /** The mate a line goes to when it does not start with `@name`; the first configured mate when unset. */
    mate: z.string().min(1).optional(),
  })
  .strict();

export type ConsoleTransportConfig = z.output<typeof consoleTransportConfigSchema>;

/**
 * What the schema cannot know: that `mate` names a configured mate. Said as a problem at the key,
 * so `confab check` locates it (`confab.yaml:3:11 transports[0].mate: ...`) as core locates
 * every other reference.
 */
export function checkConsoleConfig(
  config: ConsoleTransportConfig,
  { mates }: PluginCheckContext,
): PluginWarning[] {
  if (config.mate === undefined || mates.length === 0 || mates.includes(config.mate)) return [];
  const message = `found ${JSON.stringify(config.mate)}, expected the name of a mate (one of: ${mates.join(', ')})`;
  return [{ path: 'mate', message, severity: 'error' }];
}
