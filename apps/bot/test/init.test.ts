import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './cli-harness.js';

describe('confab init', () => {
  it('writes a commented starter config and .env.example that check accepts', async () => {
    const dir = await tempDir();
    const init = await runCli(['init'], { cwd: dir });
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('wrote confab.yaml\nwrote .env.example\n');

    const config = await readFile(join(dir, 'confab.yaml'), 'utf8');
    expect(config).toMatch(/^# confab config/);
    for (const section of [
      'transports:',
      'backends:',
      'mates:',
      '# engine:',
      '# scheduler:',
      '# commands:',
      'store:',
      'log:',
    ]) {
      expect(config).toContain(section);
    }
    const envExample = await readFile(join(dir, '.env.example'), 'utf8');
    expect(envExample).toContain('CONFAB_LOG_LEVEL=');

    const check = await runCli(['check'], { cwd: dir });
    expect(check.stderr).toBe('');
    expect(check.stdout).toBe('config OK: 1 transport, 1 backend, 1 mate\n');
    expect(check.code).toBe(0);
  });

  it('refuses to overwrite without --force, and writes nothing then', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'confab.yaml'), 'mine\n');
    const refused = await runCli(['init'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      'confab: confab.yaml already exists; nothing written (use --force to overwrite)\n',
    );
    expect(await readFile(join(dir, 'confab.yaml'), 'utf8')).toBe('mine\n');
    await expect(readFile(join(dir, '.env.example'), 'utf8')).rejects.toThrow(/ENOENT/);

    const forced = await runCli(['init', '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(await readFile(join(dir, 'confab.yaml'), 'utf8')).toMatch(/^# confab config/);
  });

  it('writes -c FILE and puts .env.example beside it', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'bots'));
    const init = await runCli(['init', '-c', 'bots/team.yaml'], { cwd: dir });
    expect(init.code).toBe(0);
    expect(init.stdout).toContain('wrote bots/team.yaml\nwrote bots/.env.example\n');
    const check = await runCli(['check', '-c', 'bots/team.yaml'], { cwd: dir });
    expect(check.code).toBe(0);
  });
});
