import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, REPO_ROOT, runCli, tempDir, writeFiles } from './cli-harness.js';

const run = promisify(execFile);
const SCRIPT = join(REPO_ROOT, 'scripts', 'peers', 'synapse.sh');
const installed = await run('bash', [SCRIPT, 'installed']).then(
  () => true,
  () => false,
);
const required = process.env.CONFAB_REQUIRE_PEERS === '1';
if (!installed && !required)
  console.warn(
    `[matrix-register.synapse] skipped: peer missing: Synapse is not installed (run ${SCRIPT} install)`,
  );

describe.skipIf(!installed && !required)('confab matrix register against a real Synapse', () => {
  let dir: string;
  let peer: { url: string; sharedSecret: string; serverName: string };

  beforeAll(async () => {
    dir = await tempDir('confab-synapse-');
    await run('bash', [SCRIPT, 'start', join(dir, 'synapse')], { timeout: 900_000 });
    peer = JSON.parse(await readFile(join(dir, 'synapse', 'peer.json'), 'utf8'));
  }, 900_000);

  afterAll(async () => {
    if (dir) await run('bash', [SCRIPT, 'stop', join(dir, 'synapse')]).catch(() => undefined);
    if (dir) await rm(join(dir, 'synapse'), { recursive: true, force: true });
  });

  it('creates the user, keeps the token out of the output and the config, and refuses a second registration', async () => {
    const mate = `ada${Date.now().toString(36)}`;
    const yaml = `transports:
  - name: matrix
    plugin: "@confab/transport-matrix"
    homeserver: ${peer.url}
    accounts:
      - mate: ${mate}
    registrationSharedSecret: \${MATRIX_REGISTRATION_SECRET}
backends:
  - name: scripted
    plugin: "@confab/testkit/scripted-backend"
    profiles:
      default: {}
mates:
  - name: ${mate}
    backend: scripted
    profile: default
store:
  path: ./data
`;
    await writeFiles(dir, { 'confab.yaml': yaml });
    const env = cleanEnv({ MATRIX_REGISTRATION_SECRET: peer.sharedSecret, NO_PROXY: '127.0.0.1,localhost' });
    const result = await runCli(['matrix', 'register', mate], { cwd: dir, env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Registered @${mate}:${peer.serverName} for mate ${mate}`);
    // Synapse access tokens start with syt_; none is ever printed or written to the config.
    expect(result.stdout).not.toContain('syt_');
    expect(await readFile(join(dir, 'confab.yaml'), 'utf8')).toBe(yaml);

    const again = await runCli(['matrix', 'register', mate], { cwd: dir, env });
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain(`is already registered as @${mate}:${peer.serverName}`);
  });
});
