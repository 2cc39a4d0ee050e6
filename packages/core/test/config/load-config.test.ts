// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${VAR} references in config text.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConfigError,
  definePlugin,
  loadConfig,
  type PluginCheckContext,
  type PluginImporter,
  parseConfig,
  z,
} from '../../src/index.js';
import { importPlugin, VALID } from './fixtures.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'confab-config-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

async function messageOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => new Error('the config was accepted'),
    (e: unknown) => e,
  );
  if (!(error instanceof ConfigError)) throw error;
  return error.message;
}

describe('loadConfig', () => {
  it('says what to do when the file is missing', async () => {
    const file = join(dir, 'confab.yaml');
    expect(await messageOf(loadConfig(file, { importPlugin }))).toBe(
      `${file}: cannot read the config file: no such file; create one with "confab init"`,
    );
  });

  it('says when the path is a directory', async () => {
    expect(await messageOf(loadConfig(dir, { importPlugin }))).toBe(
      `${dir}: cannot read the config file: it is a directory, not a file`,
    );
  });

  it('loads a valid config with defaults applied and plugin sections parsed', async () => {
    const file = await write(
      'confab.yaml',
      `${VALID}commands:\n  plugins:\n    - plugin: "@confab/commands-dice"\nstore:\n  plugin: "@confab/store-sqlite"\n  file: bot.db\n`,
    );
    const loaded = await loadConfig(file, { importPlugin, env: {} });

    expect(loaded.file).toBe(file);
    expect(loaded.warnings).toEqual([]);
    const { config } = loaded;
    expect(config.mates[0]).toMatchObject({
      name: 'alice',
      system: '',
      backend: 'local',
      profile: 'small',
      profiles: [],
      scope: 'per-user',
      triggers: { mention: true, reply: true, direct: true, keywords: [] },
      history: { source: 'auto', maxMessages: 50 },
      sampling: {},
    });
    expect(config.engine).toEqual({
      botToBot: { enabled: false, turnBudget: 4, cooldownMs: 1000 },
      supersede: false,
      dedupeHours: 72,
    });
    expect(config.scheduler).toMatchObject({
      maxQueue: 256,
      maxPerUser: 8,
      batching: { minJobs: 1, maxWaitMs: 0 },
    });
    expect(config.commands).toMatchObject({ prefix: '!', roomCommands: 'admins', admins: [] });
    expect(config.store).toMatchObject({ plugin: '@confab/store-sqlite', path: './confab.data' });
    expect(config.log.level).toBe('info');

    expect(loaded.transports).toHaveLength(1);
    expect(loaded.transports[0]?.info).toEqual({
      name: 'console',
      kind: 'transport',
      specifier: '@confab/transport-console',
      configDir: dir,
      section: 'transports[0]',
    });
    expect(loaded.transports[0]?.config).toEqual({ prompt: '> ', accounts: [] });
    expect(loaded.backends[0]?.info.name).toBe('local');
    expect(loaded.backends[0]?.config).toEqual({
      profiles: {
        small: { model: './models/small.gguf', contextSize: 4096 },
        large: { model: './models/large.gguf', contextSize: 4096 },
      },
    });
    expect(loaded.commands.map((c) => [c.info.name, c.config])).toEqual([['dice', { sides: 6 }]]);
    expect(loaded.store?.info).toMatchObject({ name: 'sqlite', kind: 'store' });
    expect(loaded.store?.config).toEqual({ file: 'bot.db' });
    expect(loaded.scheduler).toBeUndefined();
  });

  it('expands ${VAR}, ${VAR:-default} and $${, and reads numbers from the environment', async () => {
    const file = await write(
      'confab.yaml',
      VALID.replace(
        '  - plugin: "@confab/transport-console"',
        '  - plugin: "@confab/transport-console"\n    port: ${PORT}\n    prompt: ${PROMPT:-bot> }',
      ).replace(
        'profile: small',
        () => 'profile: small\n    system: "Costs $${AMOUNT}; ${GREETING:-hi}, ${NAME}"',
      ),
    );
    const env = { PORT: '8080', GREETING: '', NAME: 'Ada' };
    const loaded = await loadConfig(file, { importPlugin, env, dotenv: false });
    expect(loaded.transports[0]?.config).toEqual({ port: 8080, prompt: 'bot> ', accounts: [] });
    expect(loaded.config.mates[0]?.system).toBe('Costs ${AMOUNT}; hi, Ada');
  });

  describe('.env', () => {
    const config = VALID.replace(
      '  - plugin: "@confab/transport-console"',
      '  - plugin: "@confab/transport-console"\n    port: ${CONFAB_TEST_PORT}\n    accounts:\n      - mate: alice\n        token: ${CONFAB_TEST_TOKEN}',
    ).replace('model: ./models/small.gguf', 'model: ${CONFAB_TEST_MODEL}');

    it('fills only variables that are not set, and changes no environment', async () => {
      const file = await write('confab.yaml', config);
      await write('.env', 'CONFAB_TEST_PORT=8080\nCONFAB_TEST_TOKEN=from-dotenv\nCONFAB_TEST_MODEL=m.gguf\n');
      const env = { CONFAB_TEST_TOKEN: 'from-env' };
      const loaded = await loadConfig(file, { importPlugin, env, cwd: dir });
      expect(loaded.transports[0]?.config).toMatchObject({
        port: 8080,
        accounts: [{ mate: 'alice', token: 'from-env' }],
      });
      expect(env).toEqual({ CONFAB_TEST_TOKEN: 'from-env' });
      expect(process.env.CONFAB_TEST_PORT).toBeUndefined();
    });

    it('also reads .env in the working directory, after the one beside the config', async () => {
      const botDir = join(dir, 'bot');
      await mkdir(botDir);
      const file = join(botDir, 'confab.yaml');
      await writeFile(file, config);
      await writeFile(join(botDir, '.env'), 'CONFAB_TEST_PORT=8080\n');
      await write('.env', 'CONFAB_TEST_PORT=9090\nCONFAB_TEST_TOKEN=t\nCONFAB_TEST_MODEL=m.gguf\n');
      const loaded = await loadConfig(file, { importPlugin, env: {}, cwd: dir });
      expect(loaded.transports[0]?.config).toMatchObject({
        port: 8080,
        accounts: [{ mate: 'alice', token: 't' }],
      });
      expect(loaded.backends[0]?.config).toMatchObject({ profiles: { small: { model: 'm.gguf' } } });
    });

    it('is not read with dotenv: false', async () => {
      const file = await write('confab.yaml', config);
      await write('.env', 'CONFAB_TEST_PORT=8080\nCONFAB_TEST_TOKEN=t\nCONFAB_TEST_MODEL=m.gguf\n');
      const message = await messageOf(loadConfig(file, { importPlugin, env: {}, dotenv: false, cwd: dir }));
      expect(message.split('\n')).toEqual([
        `${file}:3:11 transports[0].port: found \${CONFAB_TEST_PORT}, but the environment variable CONFAB_TEST_PORT is not set; set it or add it to .env`,
        `${file}:6:16 transports[0].accounts[0].token: found \${CONFAB_TEST_TOKEN}, but the environment variable CONFAB_TEST_TOKEN is not set; set it or add it to .env`,
        `${file}:12:16 backends[0].profiles.small.model: found \${CONFAB_TEST_MODEL}, but the environment variable CONFAB_TEST_MODEL is not set; set it or add it to .env`,
      ]);
    });
  });

  it("collects warnings from plugins' check, located in the file", async () => {
    const file = await write(
      'confab.yaml',
      VALID.replace('model: ./models/large.gguf', 'model: ./models/large.gguf\n        contextSize: 65536'),
    );
    const loaded = await loadConfig(file, { importPlugin, env: {} });
    expect(loaded.warnings).toEqual([
      {
        file,
        line: 11,
        column: 22,
        path: 'backends[0].profiles.large.contextSize',
        message: 'more than 32768 tokens may not fit in memory',
      },
    ]);
  });

  it('gives check the instance and a logger', async () => {
    const seen: PluginCheckContext[] = [];
    const spy = definePlugin({
      name: '@acme/confab-transport-irc',
      kind: 'transport',
      configSchema: z.object({ server: z.string() }).strict(),
      register() {},
      check(config, context) {
        seen.push(context);
        return config.server.startsWith('irc://')
          ? []
          : [{ path: 'server', message: 'use an irc:// address' }];
      },
    });
    const withSpy: PluginImporter = async (specifier) =>
      specifier === '@acme/confab-transport-irc' ? { default: spy } : importPlugin(specifier);
    const text = VALID.replace(
      '  - plugin: "@confab/transport-console"',
      '  - plugin: "@confab/transport-console"\n  - plugin: "@acme/confab-transport-irc"\n    server: example.org',
    );
    const loaded = await parseConfig(text, join(dir, 'confab.yaml'), { importPlugin: withSpy, env: {} });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.instance).toEqual({
      name: 'irc',
      kind: 'transport',
      specifier: '@acme/confab-transport-irc',
      configDir: dir,
      section: 'transports[1]',
    });
    expect(typeof seen[0]?.logger.warn).toBe('function');
    expect(seen[0]?.mates).toEqual(['alice']);
    expect(loaded.transports.map((t) => t.info.name)).toEqual(['console', 'irc']);
    expect(loaded.warnings.map((w) => [w.line, w.column, w.path, w.message])).toEqual([
      [4, 13, 'transports[1].server', 'use an irc:// address'],
    ]);
  });

  it("rejects the config on a problem check raises, located like core's own", async () => {
    const irc = definePlugin({
      name: '@acme/confab-transport-irc',
      kind: 'transport',
      configSchema: z.object({ channels: z.record(z.string()) }).strict(),
      register() {},
      check(config, { mates }) {
        return Object.entries(config.channels)
          .filter(([, mate]) => !mates.includes(mate))
          .map(([channel, mate]) => ({
            path: `channels.${channel}`,
            message: `found "${mate}", expected the name of a mate`,
            severity: 'error' as const,
          }));
      },
    });
    const withIrc: PluginImporter = async (specifier) =>
      specifier === '@acme/confab-transport-irc' ? { default: irc } : importPlugin(specifier);
    const text = VALID.replace(
      '  - plugin: "@confab/transport-console"',
      '  - plugin: "@confab/transport-console"\n  - plugin: "@acme/confab-transport-irc"\n    channels: { general: alice, random: bob }',
    );
    expect(await messageOf(parseConfig(text, 'confab.yaml', { importPlugin: withIrc, env: {} }))).toBe(
      'confab.yaml:4:41 transports[1].channels.random: found "bob", expected the name of a mate',
    );
  });
});
