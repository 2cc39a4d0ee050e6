import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, REPO_ROOT, runCli, tempDir, writeFiles } from './cli-harness.js';

/**
 * Every complete config in the documentation (a YAML block with transports, backends and mates)
 * passes `confab check`, so the README examples stay runnable. Placeholder packages document
 * the config they will take and are left out until they are filled.
 */
function documentedConfigs(): { source: string; text: string }[] {
  const readmes = [
    join(REPO_ROOT, 'README.md'),
    ...readdirSync(join(REPO_ROOT, 'packages')).map((dir) => join(REPO_ROOT, 'packages', dir, 'README.md')),
  ].filter((file) => existsSync(file));
  const configs: { source: string; text: string }[] = [];
  for (const file of readmes) {
    const markdown = readFileSync(file, 'utf8');
    if (markdown.includes('**Placeholder.**')) continue;
    for (const [index, match] of [...markdown.matchAll(/```ya?ml\n([\s\S]*?)```/g)].entries()) {
      const text = match[1] ?? '';
      // An outline with `[...]` for the lists is not a config.
      if (text.includes('[...]')) continue;
      if (/^transports:/m.test(text) && /^backends:/m.test(text) && /^mates:/m.test(text)) {
        configs.push({ source: `${relative(REPO_ROOT, file)} #${index + 1}`, text });
      }
    }
  }
  return configs;
}

describe('configs in the documentation', () => {
  const configs = documentedConfigs();

  it('include the console transport and example plugin READMEs', () => {
    const sources = configs.map((c) => c.source);
    expect(sources.some((s) => s.startsWith('packages/transport-console/'))).toBe(true);
    expect(sources.some((s) => s.startsWith('packages/example-plugin/'))).toBe(true);
  });

  for (const { source, text } of configs) {
    it(`${source} passes confab check`, async () => {
      const dir = await tempDir('confab-readme-');
      // Nothing written to disk unless the example chose a store itself.
      const store = /^store:/m.test(text) ? '' : "\nstore:\n  path: ':memory:'\n";
      await writeFiles(dir, { 'confab.yaml': `${text}${store}` });
      // Secrets come from the environment (`token: $` + `{ADA_DISCORD_TOKEN}`); check connects
      // nowhere, so any value stands in for them.
      const secrets = Object.fromEntries(
        [...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => [m[1] as string, 'stand-in']),
      );
      const result = await runCli(['check'], { cwd: dir, env: cleanEnv(secrets) });
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(/^config OK: /);
      expect(result.code).toBe(0);
    });
  }

  it('packages/example-plugin/confab.example.yaml runs', async () => {
    const result = await runCli(['run', '-c', 'packages/example-plugin/confab.example.yaml'], {
      cwd: REPO_ROOT,
      input: 'make some noise\n',
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('shouty> MAKE SOME NOISE!\n');
    expect(result.code).toBe(0);
  });
});
