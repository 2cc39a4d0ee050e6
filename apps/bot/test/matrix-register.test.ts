import { describe, expect, it } from 'vitest';
import { runCli, tempDir, writeFiles } from './cli-harness.js';

const config = (transport: string) => `transports:
${transport}
backends:
  - name: scripted
    plugin: "@confab/testkit/scripted-backend"
    profiles:
      default: {}
mates:
  - name: ada
    backend: scripted
    profile: default
store:
  path: ':memory:'
`;

describe('confab matrix register', () => {
  it('explains its usage', async () => {
    const dir = await tempDir();
    const result = await runCli(['matrix'], { cwd: dir });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('matrix expects a subcommand: matrix register MATE');
    const noMate = await runCli(['matrix', 'register'], { cwd: dir });
    expect(noMate.stderr).toContain('matrix register expects the mate name');
  });

  it('needs a matrix transport with a registration secret, and says so without a stack trace', async () => {
    const dir = await tempDir();
    await writeFiles(dir, { 'confab.yaml': config('  - plugin: "@confab/transport-console"') });
    const noTransport = await runCli(['matrix', 'register', 'ada'], { cwd: dir });
    expect(noTransport.code).not.toBe(0);
    expect(noTransport.stderr).toContain('has no transport with plugin @confab/transport-matrix');

    await writeFiles(dir, {
      'confab.yaml': config(`  - name: matrix
    plugin: "@confab/transport-matrix"
    homeserver: http://127.0.0.1:9
    accounts:
      - mate: ada`),
    });
    const noSecret = await runCli(['matrix', 'register', 'ada'], { cwd: dir });
    expect(noSecret.code).not.toBe(0);
    expect(noSecret.stderr).toContain("transport 'matrix': set registrationSharedSecret");
    expect(noSecret.stderr).not.toMatch(/\n\s+at /);
  });
});
