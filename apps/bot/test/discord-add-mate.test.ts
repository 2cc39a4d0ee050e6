import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DiscordEmulator } from '@confab/testkit/discord-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli, tempDir } from './cli-harness.js';

// `${VAR}` as written in the config, not a template.
const ref = (name: string) => `$${'{'}${name}}`;

let discord: DiscordEmulator;
beforeAll(async () => {
  discord = await DiscordEmulator.start();
});
afterAll(async () => {
  await discord.stop();
});

describe('confab discord add-mate', () => {
  it('checks the token, records its variable in the config and prints the invite', async () => {
    const dir = await tempDir();
    expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
    const ada = discord.addBot('ada');
    const env = cleanEnv({ ADA_DISCORD_TOKEN: ada.token });
    const result = await runCli(['discord', 'add-mate', 'ada', '--api', discord.apiUrl], { cwd: dir, env });

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `Token in ADA_DISCORD_TOKEN belongs to the bot ada (user ${ada.user.id}).`,
    );
    expect(result.stdout).toContain(
      `confab.yaml: added the Discord account of ada with token: ${ref('ADA_DISCORD_TOKEN')}.`,
    );
    expect(result.stdout).toContain('MESSAGE CONTENT INTENT');
    expect(result.stdout).toContain(
      `https://discord.com/oauth2/authorize?client_id=${ada.applicationId}&scope=bot&permissions=274877975552`,
    );
    expect(result.stdout).not.toContain(ada.token);
    const config = await readFile(join(dir, 'confab.yaml'), 'utf8');
    expect(config).toMatch(/^# confab config/);
    expect(config).toContain('plugin: "@confab/transport-discord"');
    expect(config).toContain(`- mate: ada\n        token: ${ref('ADA_DISCORD_TOKEN')}`);

    // Running it again with another variable updates the same account instead of adding one.
    const again = await runCli(
      ['discord', 'add-mate', 'ada', '--env', 'ADA_TOKEN', '--api', discord.apiUrl],
      {
        cwd: dir,
        env: cleanEnv({ ADA_TOKEN: ada.token }),
      },
    );
    expect(again.code).toBe(0);
    const updated = await readFile(join(dir, 'confab.yaml'), 'utf8');
    expect(updated.match(/- mate: ada/g)).toHaveLength(1);
    expect(updated).toContain(`token: ${ref('ADA_TOKEN')}`);
  });

  it('leaves a config that passes check for a configured mate', async () => {
    const dir = await tempDir();
    await runCli(['init'], { cwd: dir });
    const helper = discord.addBot('helper');
    const env = cleanEnv({ HELPER_DISCORD_TOKEN: helper.token });
    const added = await runCli(['discord', 'add-mate', 'helper', '--api', discord.apiUrl], { cwd: dir, env });
    expect(added.code).toBe(0);
    expect(added.stdout).not.toContain('Note: add a mate');
    const check = await runCli(['check'], { cwd: dir, env });
    expect(check.stderr).toBe('');
    expect(check.stdout).toBe('config OK: 2 transports, 1 backend, 1 mate\n');
  });

  it('refuses a missing or rejected token without writing the config', async () => {
    const dir = await tempDir();
    await runCli(['init'], { cwd: dir });
    const before = await readFile(join(dir, 'confab.yaml'), 'utf8');
    const missing = await runCli(['discord', 'add-mate', 'bob', '--api', discord.apiUrl], {
      cwd: dir,
      env: cleanEnv(),
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("mate 'bob': BOB_DISCORD_TOKEN is not set.");

    const bad = await runCli(['discord', 'add-mate', 'bob', '--api', discord.apiUrl], {
      cwd: dir,
      env: cleanEnv({ BOB_DISCORD_TOKEN: 'bad.secret-token' }),
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/mate 'bob' \(BOB_DISCORD_TOKEN\): Discord rejected the bot token/);
    expect(bad.stderr).not.toContain('bad.secret-token');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(await readFile(join(dir, 'confab.yaml'), 'utf8')).toBe(before);
  });
});
