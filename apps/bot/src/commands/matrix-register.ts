import { dirname, resolve } from 'node:path';
import { Bot, ConfabError, type Store } from '@confab/core';
import { loadConfigFile } from '../load-config-file.js';
import { createPluginImporter } from '../plugin-importer.js';

const MATRIX_PLUGIN = '@confab/transport-matrix';

/** What `confab matrix register` needs from the Matrix plugin (imported like any plugin). */
interface MatrixHelpers {
  registerMate(options: {
    transport: string;
    config: unknown;
    mate: string;
    store: Store;
  }): Promise<{ userId: string; account: string }>;
}

/** Options of `confab matrix register MATE`. */
export interface MatrixRegisterOptions {
  readonly mate: string;
  readonly config: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly print: (line: string) => void;
}

/**
 * `confab matrix register MATE`: creates the mate's Matrix user on a homeserver the operator
 * administers (Synapse shared-secret registration, `registrationSharedSecret` of the matrix
 * transport) and keeps its access token in the bot's store, where the transport finds it for an
 * account configured as `- mate: MATE` without credentials. The token is never printed.
 */
export async function matrixRegisterCommand(options: MatrixRegisterOptions): Promise<number> {
  const loaded = await loadConfigFile(options.config, options.cwd, options.env);
  const instance = loaded.transports.find((t) => t.definition.name === MATRIX_PLUGIN);
  if (!instance) {
    throw new ConfabError(
      'cli.no-matrix-transport',
      `${options.config} has no transport with plugin ${MATRIX_PLUGIN}; add one (see its README) first`,
    );
  }
  const configPath = resolve(options.cwd, options.config);
  const helpers = (await createPluginImporter({ configDir: dirname(configPath), cwd: options.cwd })(
    MATRIX_PLUGIN,
  )) as MatrixHelpers | undefined;
  const registerMate = helpers?.registerMate;
  if (typeof registerMate !== 'function') {
    throw new ConfabError('cli.plugin-missing', `${MATRIX_PLUGIN} does not offer registerMate; update it`);
  }
  // The bot's own store, whichever plugin provides it; wiring a bot connects nowhere.
  const { store } = Bot.create(loaded);
  await store.open();
  try {
    const { userId } = await registerMate({
      transport: instance.info.name,
      config: instance.config,
      mate: options.mate,
      store,
    });
    options.print(
      `Registered ${userId} for mate ${options.mate}; its access token is kept in the bot's store (identities), not in the config.`,
    );
    options.print(
      `Invite ${userId} to your rooms; it joins when the inviter is allowed (invites.allowUsers / allowServers).`,
    );
  } finally {
    await store.close();
  }
  return 0;
}
