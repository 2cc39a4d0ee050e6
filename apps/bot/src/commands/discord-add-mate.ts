import { readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfabError } from '@confab/core';
import { isMap, isSeq, parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { createPluginImporter } from '../plugin-importer.js';

const DISCORD_PLUGIN = '@confab/transport-discord';

/** What `confab discord add-mate` needs from the Discord plugin (imported like any plugin). */
interface DiscordHelpers {
  checkBotAccount(
    token: string,
    options: { apiUrl?: string },
  ): Promise<{ userId: string; username: string; applicationId: string; messageContentIntent: boolean }>;
  inviteUrl(applicationId: string): string;
  invitePermissionNames(): string[];
  developerPortalSteps(mate: string, envVar: string): string[];
}

/** Options of `confab discord add-mate NAME`. */
export interface DiscordAddMateOptions {
  readonly mate: string;
  readonly config: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Environment variable that holds the token; `<MATE>_DISCORD_TOKEN` by default. */
  readonly envVar?: string;
  /** Discord REST base URL (an emulator in tests). */
  readonly apiUrl?: string;
  readonly print: (line: string) => void;
}

/** `ADA_DISCORD_TOKEN` for mate `ada`. */
export function defaultTokenVariable(mate: string): string {
  return `${mate.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_DISCORD_TOKEN`;
}

/**
 * `confab discord add-mate NAME`: records in the config which environment variable holds the
 * mate's bot token (`accounts: [{ mate, token: ${VAR} }]` of the Discord transport, added when
 * missing), after checking the token with Discord; prints the invite URL and the one-time
 * developer-portal steps.
 *
 * The config, not the store, records it: it is the file people read, review and version to
 * learn which accounts a bot runs, `confab check` validates it, and the secret itself stays in
 * the environment.
 */
export async function discordAddMateCommand(options: DiscordAddMateOptions): Promise<number> {
  const { mate, print } = options;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(mate)) {
    throw new ConfabError('cli.usage', `'${mate}' is not a mate name: use letters, digits, "_", "." or "-"`);
  }
  const envVar = options.envVar ?? defaultTokenVariable(mate);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(envVar)) {
    throw new ConfabError('cli.usage', `--env expects an environment variable name, got '${envVar}'`);
  }
  const path = resolve(options.cwd, options.config);
  const text = await readFile(path, 'utf8').catch(() => {
    throw new ConfabError(
      'cli.no-config',
      `${options.config} not found; run confab init first or pass -c <file>`,
    );
  });
  const helpers = (await createPluginImporter({ configDir: dirname(path), cwd: options.cwd })(
    DISCORD_PLUGIN,
  ).catch((error: unknown) => {
    const missing = (error as { code?: unknown } | null)?.code === 'ERR_MODULE_NOT_FOUND';
    throw new ConfabError(
      'cli.plugin-missing',
      missing
        ? `${DISCORD_PLUGIN} is not installed next to ${options.config}; install it (npm install ${DISCORD_PLUGIN})`
        : `${DISCORD_PLUGIN} could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  })) as DiscordHelpers;

  const token = options.env[envVar];
  if (!token) {
    throw new ConfabError(
      'discord.no-token',
      `mate '${mate}': ${envVar} is not set. Put the bot token from the developer portal (Bot → Reset Token) ` +
        `into the environment as ${envVar}, then run this again`,
    );
  }
  const account = await helpers
    .checkBotAccount(token, options.apiUrl ? { apiUrl: options.apiUrl } : {})
    .catch((error: unknown) => {
      throw new ConfabError(
        'discord.invalid-token',
        `mate '${mate}' (${envVar}): ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    });
  print(`Token in ${envVar} belongs to the bot ${account.username} (user ${account.userId}).`);

  const document = parseDocument(text);
  const where = recordAccount(document, mate, envVar);
  await writeFile(path, document.toString(), 'utf8');
  print(`${options.config}: ${where}.`);
  const mates = document.get('mates');
  const known =
    isSeq(mates) && mates.items.some((item) => isMap(item) && (item as YAMLMap).get('name') === mate);
  if (!known) print(`Note: add a mate named ${mate} under mates: (backend, profile, system prompt).`);
  if (!account.messageContentIntent) {
    print(
      'Warning: the Message Content intent is off for this bot; confab cannot read messages until you turn it on (step 3).',
    );
  }
  print('');
  print('One-time steps in the Discord developer portal:');
  for (const [i, step] of helpers.developerPortalSteps(mate, envVar).entries()) print(`  ${i + 1}. ${step}`);
  print('');
  print(`Invite ${mate} (scope: bot; permissions: ${helpers.invitePermissionNames().join(', ')};`);
  print('intents: Guilds, GuildMessages, DirectMessages, MessageContent):');
  print(`  ${helpers.inviteUrl(account.applicationId)}`);
  return 0;
}

/** Adds or updates the mate's account in the Discord transport entry, creating it when absent. */
function recordAccount(document: ReturnType<typeof parseDocument>, mate: string, envVar: string): string {
  const reference = `\${${envVar}}`;
  let transports = document.get('transports') as YAMLSeq | undefined;
  if (!isSeq(transports)) {
    document.set('transports', document.createNode([]));
    transports = document.get('transports') as YAMLSeq;
  }
  let entry = transports.items.find(
    (item): item is YAMLMap => isMap(item) && item.get('plugin') === DISCORD_PLUGIN,
  );
  if (!entry) {
    entry = document.createNode({ name: 'discord', plugin: DISCORD_PLUGIN, accounts: [] }) as YAMLMap;
    transports.add(entry);
  }
  let accounts = entry.get('accounts') as YAMLSeq | undefined;
  if (!isSeq(accounts)) {
    entry.set('accounts', document.createNode([]));
    accounts = entry.get('accounts') as YAMLSeq;
  }
  const existing = accounts.items.find((item): item is YAMLMap => isMap(item) && item.get('mate') === mate);
  if (existing) {
    existing.set('token', reference);
    return `the Discord account of ${mate} now reads its token from ${reference}`;
  }
  accounts.add(document.createNode({ mate, token: reference }));
  return `added the Discord account of ${mate} with token: ${reference}`;
}
