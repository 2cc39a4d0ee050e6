import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, startCli, tempDir, writeFiles } from './cli-harness.js';

/**
 * A plugin package as a third party would publish it, installed beside a config in a directory
 * outside the workspace. It is ESM only, exported under the `import` condition alone (so
 * `require.resolve` could not find it), and gets `@confab/core` as a peer: linked to the
 * workspace's built core, as a package manager would link the installed one.
 */
const PLUGIN_PACKAGE = {
  name: 'confab-backend-upper',
  version: '1.0.0',
  type: 'module',
  exports: {
    '.': { import: './lib/plugin.js' },
    './crashing': { import: './lib/crashing.js' },
    './package.json': './package.json',
  },
  peerDependencies: { '@confab/core': '*' },
};

const PLUGIN_SOURCE = `import { definePlugin, Tokens, z } from '@confab/core';

class UpperBackend {
  constructor(name, profiles) {
    this.name = name;
    this.config = profiles;
  }
  profiles() { return Object.keys(this.config); }
  capacity() { return { workers: 1, parallel: 1, contextTokens: 1000 }; }
  async start() {}
  async stop() {}
  async *generate(request) {
    const last = request.messages.at(-1)?.content ?? '';
    yield { type: 'stream-start', warnings: [] };
    yield { type: 'text-delta', text: this.config[request.profile].prefix + last.toUpperCase() };
    yield { type: 'finish', reason: 'stop', usage: { inputTokens: 1, outputTokens: 1 } };
  }
}

export default definePlugin({
  name: 'confab-backend-upper',
  kind: 'backend',
  configSchema: z
    .object({
      profiles: z.record(z.object({ prefix: z.string().default('') }).strict()),
      whisper: z.boolean().default(false),
    })
    .strict(),
  register(container, config) {
    container.register(Tokens.Backend, {
      useFactory: (c) => new UpperBackend(c.resolve(Tokens.PluginInstance).name, config.profiles),
    });
  },
  check(config) {
    return config.whisper ? [{ path: 'whisper', message: 'whispering is not supported; replies stay upper case' }] : [];
  },
});
`;

/** A backend with a bug: it throws from a timer once started, where nobody can catch it. */
const CRASHING_SOURCE = `import { definePlugin, Tokens, z } from '@confab/core';

export default definePlugin({
  name: 'confab-backend-upper/crashing',
  kind: 'backend',
  configSchema: z.object({ profiles: z.record(z.object({}).strict()) }).strict(),
  register(container, config) {
    container.register(Tokens.Backend, {
      useFactory: (c) => ({
        name: c.resolve(Tokens.PluginInstance).name,
        profiles: () => Object.keys(config.profiles),
        capacity: () => ({ workers: 1, parallel: 1, contextTokens: 100 }),
        async start() {
          setTimeout(() => {
            throw new TypeError('kaboom');
          }, 50);
        },
        async stop() {},
        async *generate() {},
      }),
    });
  },
});
`;

const CONFIG = `transports:
  - name: console
    plugin: '@confab/transport-console'
backends:
  - name: upper
    plugin: confab-backend-upper
    whisper: true
    profiles:
      loud: { prefix: '>> ' }
mates:
  - name: helper
    backend: upper
    profile: loud
log:
  level: warn
`;

let botDir: string;
/** Where the commands run from: elsewhere, so that only the config's directory can provide the plugin. */
let elsewhere: string;

beforeAll(async () => {
  botDir = await tempDir('confab-third-party-');
  elsewhere = await tempDir('confab-elsewhere-');
  const pluginDir = join(botDir, 'node_modules', 'confab-backend-upper');
  await mkdir(join(pluginDir, 'lib'), { recursive: true });
  await writeFiles(pluginDir, { 'package.json': JSON.stringify(PLUGIN_PACKAGE, null, 2) });
  await writeFiles(join(pluginDir, 'lib'), { 'plugin.js': PLUGIN_SOURCE, 'crashing.js': CRASHING_SOURCE });
  await mkdir(join(botDir, 'node_modules', '@confab'), { recursive: true });
  await symlink(join(REPO_ROOT, 'packages', 'core'), join(botDir, 'node_modules', '@confab', 'core'), 'dir');
  await writeFiles(botDir, { 'confab.yaml': CONFIG });
});

describe('a third-party plugin installed next to the config', () => {
  it('passes check, with its own warning, from another working directory', async () => {
    const result = await runCli(['check', '-c', join(botDir, 'confab.yaml')], { cwd: elsewhere });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(
      'config OK: 1 transport, 1 backend, 1 mate\n' +
        `warning: ${join(botDir, 'confab.yaml')}:7:14 backends[0].whisper: whispering is not supported; replies stay upper case\n`,
    );
    expect(result.code).toBe(0);
  });

  it('answers through it at run', async () => {
    const result = await runCli(['run', '-c', join(botDir, 'confab.yaml')], {
      cwd: elsewhere,
      input: 'hello there\n',
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('helper> >> HELLO THERE\n');
    expect(result.code).toBe(0);
  });

  it('validates its section with its own schema', async () => {
    const dir = await tempDir('confab-third-party-bad-');
    await mkdir(join(dir, 'node_modules'));
    await symlink(
      join(botDir, 'node_modules', 'confab-backend-upper'),
      join(dir, 'node_modules', 'confab-backend-upper'),
      'dir',
    );
    await symlink(join(botDir, 'node_modules', '@confab'), join(dir, 'node_modules', '@confab'), 'dir');
    await writeFiles(dir, {
      'confab.yaml': CONFIG.replace("loud: { prefix: '>> ' }", 'loud: { prefix: 3 }'),
    });
    const result = await runCli(['check'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^confab\.yaml:9:23 backends\[0\]\.profiles\.loud\.prefix: .*\n/);
  });

  it('is not found from a directory that does not have it', async () => {
    await writeFiles(elsewhere, { 'confab.yaml': CONFIG });
    const result = await runCli(['check'], { cwd: elsewhere });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^confab\.yaml:6:13 backends\[0\]\.plugin: .*"confab-backend-upper" is not installed/,
    );
  });

  it('turns an uncaught error of a plugin into one line that calls it a bug, and exit 1', async () => {
    const crashing = CONFIG.replace(
      'plugin: confab-backend-upper\n    whisper: true',
      'plugin: confab-backend-upper/crashing',
    ).replace("loud: { prefix: '>> ' }", 'loud: {}');
    await writeFiles(botDir, { 'crashing.yaml': crashing });
    const bot = startCli(['run', '-c', 'crashing.yaml'], { cwd: botDir });
    const result = await bot.exited;
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'confab: unexpected error: kaboom\n' +
        'This is a bug in confab or a plugin; run again with --debug for the stack trace and report it.\n',
    );
    expect(result.code).toBe(1);

    const debug = await startCli(['run', '-c', 'crashing.yaml', '--debug'], { cwd: botDir }).exited;
    expect(debug.stderr).toMatch(/^confab: unexpected error: kaboom\nTypeError: kaboom\n\s+at /);
  });
});
