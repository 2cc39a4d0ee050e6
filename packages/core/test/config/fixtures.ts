import { definePlugin, type PluginImporter, z } from '../../src/index.js';

/** A transport that hosts one bot account per mate, like Discord. */
export const consoleTransport = definePlugin({
  name: '@confab/transport-console',
  kind: 'transport',
  configSchema: z
    .object({
      prompt: z.string().default('> '),
      port: z.number().int().min(1).max(65_535).optional(),
      accounts: z.array(z.object({ mate: z.string(), token: z.string().min(1) }).strict()).default([]),
      auth: z
        .union([
          z.object({ token: z.string() }).strict(),
          z.object({ user: z.string(), password: z.string() }).strict(),
        ])
        .optional(),
    })
    .strict(),
  register() {},
});

/** A backend whose profiles name model files; warns about huge contexts in `check`. */
export const fakeBackend = definePlugin({
  name: '@confab/backend-fake',
  kind: 'backend',
  configSchema: z
    .object({
      baseUrl: z.string().url().optional(),
      keepAlive: z.union([z.number().int(), z.literal('forever')]).optional(),
      profiles: z.record(
        z
          .object({
            model: z.string().min(1, 'a model file such as ./models/x.gguf'),
            contextSize: z.number().int().positive().default(4096),
          })
          .strict(),
      ),
    })
    .strict(),
  register() {},
  check(config) {
    return Object.entries(config.profiles)
      .filter(([, profile]) => profile.contextSize > 32_768)
      .map(([name]) => ({
        path: `profiles.${name}.contextSize`,
        message: 'more than 32768 tokens may not fit in memory',
      }));
  },
});

export const diceCommands = definePlugin({
  name: '@confab/commands-dice',
  kind: 'command',
  configSchema: z.object({ sides: z.number().int().min(2).default(6) }).strict(),
  register() {},
});

export const sqliteStore = definePlugin({
  name: '@confab/store-sqlite',
  kind: 'store',
  configSchema: z.object({ file: z.string().min(1) }).strict(),
  register() {},
});

export const brokenCheck = definePlugin({
  name: '@acme/transport-grumpy',
  kind: 'transport',
  configSchema: z.object({}).strict(),
  register() {},
  check() {
    throw new Error('grumpy: cannot check today\n    at somewhere (file.js:1:1)');
  },
});

const modules: Record<string, unknown> = {
  '@confab/transport-console': { default: consoleTransport },
  '@confab/backend-fake': { default: fakeBackend },
  '@confab/commands-dice': { default: diceCommands },
  '@confab/store-sqlite': { default: sqliteStore },
  '@acme/transport-grumpy': { default: brokenCheck },
  '@acme/not-a-plugin': { default: { name: 'not-a-plugin', kind: 'transport' } },
};

/** Imports from the table above; throws like Node for anything else. */
export const importPlugin: PluginImporter = async (specifier) => {
  if (specifier === '@confab/testkit/no-such-plugin') {
    throw Object.assign(
      new Error(
        `Package subpath './no-such-plugin' is not defined by "exports" in /bot/node_modules/@confab/testkit/package.json`,
      ),
      { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' },
    );
  }
  if (specifier === '@acme/transport-broken') {
    throw new Error('native binding not built for this platform\n    at load (index.js:3:9)');
  }
  const found = modules[specifier];
  if (found === undefined) {
    throw Object.assign(new Error(`Cannot find package '${specifier}' imported from /bot/index.js`), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
  }
  return found;
};

/** A minimal valid config; tests replace parts of it. */
export const VALID = `transports:
  - plugin: "@confab/transport-console"
backends:
  - name: local
    plugin: "@confab/backend-fake"
    profiles:
      small:
        model: ./models/small.gguf
      large:
        model: ./models/large.gguf
mates:
  - name: alice
    backend: local
    profile: small
`;
