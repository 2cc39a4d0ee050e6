import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
/** The repo's script that installs, starts and stops Synapse. */
export const SYNAPSE_SCRIPT = resolve(here, '../../../../scripts/peers/synapse.sh');

/** A running Synapse started by {@link startSynapse}. */
export interface SynapseInfo {
  readonly url: string;
  readonly serverName: string;
  readonly sharedSecret: string;
  readonly dir: string;
}

/** Whether a missing peer fails the run (CI) instead of skipping. */
export const peersRequired = (): boolean => process.env.CONFAB_REQUIRE_PEERS === '1';

/**
 * Starts a Synapse for a test run with the repo's script. Resolves `{ missing }` when Synapse
 * is not installed and peers are not required; throws when it should run but cannot.
 */
export async function startSynapse(): Promise<
  { info: SynapseInfo; stop: () => Promise<void> } | { missing: string }
> {
  const installed = await run('bash', [SYNAPSE_SCRIPT, 'installed']).then(
    () => true,
    () => false,
  );
  if (!installed && !peersRequired()) {
    return { missing: `Synapse is not installed (run ${SYNAPSE_SCRIPT} install)` };
  }
  const dir = await mkdtemp(join(tmpdir(), 'confab-synapse-'));
  try {
    // Installs first when missing (CI), which takes minutes.
    await run('bash', [SYNAPSE_SCRIPT, 'start', dir], { timeout: 900_000 });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`Synapse could not be started: ${e.stderr?.trim() || e.message}`);
  }
  const peer = JSON.parse(await readFile(join(dir, 'peer.json'), 'utf8')) as Omit<SynapseInfo, 'dir'>;
  return {
    info: { ...peer, dir },
    stop: async () => {
      await run('bash', [SYNAPSE_SCRIPT, 'stop', dir]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The Synapse of this test run, or why there is none (provided by the global setup). */
export type ProvidedSynapse = SynapseInfo | { readonly missing: string };
