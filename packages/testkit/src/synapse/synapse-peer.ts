import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A running Synapse started by {@link startSynapse}. */
export interface SynapseInfo {
  /** Base URL of its client-server API, `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly serverName: string;
  /** For shared-secret registration of test users. */
  readonly sharedSecret: string;
  /** Its data and config directory. */
  readonly dir: string;
}

/** Options of {@link startSynapse}. */
export interface StartSynapseOptions {
  /** The repo's `scripts/peers/synapse.sh`; found above this package by default. */
  readonly script?: string;
  /** A missing install fails instead of resolving `{ missing }`; default `CONFAB_REQUIRE_PEERS=1`. */
  readonly required?: boolean;
}

/** `scripts/peers/synapse.sh` of the workspace this package sits in, if any. */
function workspaceScript(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'pnpm-workspace.yaml')) && dirname(dir) !== dir) dir = dirname(dir);
  const script = join(dir, 'scripts', 'peers', 'synapse.sh');
  return existsSync(script) ? script : undefined;
}

/**
 * Starts a Synapse on 127.0.0.1 with the repo's script (SQLite, shared-secret registration, rate
 * limits raised) in a fresh temporary directory. Resolves `{ missing }`, saying how to install it,
 * when Synapse is not installed and peers are not required; throws when it should run but cannot.
 * `stop()` stops it and removes the directory.
 */
export async function startSynapse(
  options: StartSynapseOptions = {},
): Promise<{ info: SynapseInfo; stop: () => Promise<void> } | { missing: string }> {
  const script = options.script ?? workspaceScript();
  const required = options.required ?? process.env.CONFAB_REQUIRE_PEERS === '1';
  if (script === undefined) {
    if (required) throw new Error('Synapse is required but scripts/peers/synapse.sh was not found');
    return { missing: 'Synapse: scripts/peers/synapse.sh not found above @confab/testkit' };
  }
  const installed = await run('bash', [script, 'installed']).then(
    () => true,
    () => false,
  );
  if (!installed && !required) return { missing: `Synapse is not installed (run ${script} install)` };
  const dir = await mkdtemp(join(tmpdir(), 'confab-synapse-'));
  try {
    // Installs first when missing (CI), which takes minutes.
    await run('bash', [script, 'start', dir], { timeout: 900_000 });
  } catch (error) {
    await run('bash', [script, 'stop', dir]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    const e = error as { stderr?: string; message: string };
    throw new Error(`Synapse could not be started: ${e.stderr?.trim() || e.message}`);
  }
  const peer = JSON.parse(await readFile(join(dir, 'peer.json'), 'utf8')) as Omit<SynapseInfo, 'dir'>;
  return {
    info: { url: peer.url, serverName: peer.serverName, sharedSecret: peer.sharedSecret, dir },
    stop: async () => {
      await run('bash', [script, 'stop', dir]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
