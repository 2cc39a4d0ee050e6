import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, tempDir } from './cli-harness.js';

/**
 * What npm users get: every publishable package packed as `pnpm publish` would pack it, its
 * tarball inspected and linted, and the packed core and plugins installed into an empty
 * project outside the workspace, then loaded, wired and typechecked there.
 */

const run = promisify(execFile);
const PNPM = join(REPO_ROOT, 'scripts', 'pnpm.sh');
const PACKAGES_DIR = join(REPO_ROOT, 'packages');

interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  exports?: unknown;
  main?: string;
  types?: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const publishable = readdirSync(PACKAGES_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => {
    const dir = join(PACKAGES_DIR, entry.name);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
    return { dir, pkg };
  })
  .filter(({ pkg }) => !pkg.private);

interface Packed {
  readonly tarball: string;
  readonly files: readonly string[];
  readonly pkg: PackageJson;
}

const packed = new Map<string, Packed>();
let packDir: string;

/** Every file path an `exports` map points at. */
function exportTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(exportTargets);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(exportTargets);
  return [];
}

beforeAll(async () => {
  packDir = await tempDir('confab-pack-');
  // One at a time: pnpm pack runs lifecycle scripts and corepack, and the machine has 2 cores.
  for (const { dir, pkg } of publishable) {
    const { stdout } = await run(PNPM, ['--dir', dir, 'pack', '--pack-destination', packDir], {
      cwd: REPO_ROOT,
    });
    const tarball = stdout.trim().split('\n').at(-1) ?? '';
    expect(tarball, stdout).toMatch(/\.tgz$/);
    const list = await run('tar', ['-tzf', tarball]);
    const files = list.stdout
      .trim()
      .split('\n')
      .map((file) => file.replace(/^package\//, ''));
    const manifest = await run('tar', ['-xzOf', tarball, 'package/package.json']);
    packed.set(pkg.name, { tarball, files, pkg: JSON.parse(manifest.stdout) as PackageJson });
  }
}, 120_000);

describe('every publishable package', () => {
  it('is one the bot depends on, so turbo builds it before this test', () => {
    const bot = JSON.parse(readFileSync(join(REPO_ROOT, 'apps', 'bot', 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    for (const { pkg } of publishable) {
      expect(
        { ...bot.dependencies, ...bot.devDependencies },
        `add ${pkg.name} to apps/bot devDependencies`,
      ).toHaveProperty([pkg.name]);
    }
  });

  for (const { pkg } of publishable) {
    describe(pkg.name, () => {
      it('packs its built JavaScript, types, README and package.json, and no tests', () => {
        const { files } = packed.get(pkg.name)!;
        expect(files).toContain('package.json');
        expect(files).toContain('README.md');
        expect(files.some((file) => /^dist\/.+\.js$/.test(file))).toBe(true);
        expect(files.some((file) => /^dist\/.+\.d\.ts$/.test(file))).toBe(true);
        expect(files.filter((file) => /\.test\.|^src\/|^test\//.test(file))).toEqual([]);
      });

      it('packs every file its exports, main and types point at', () => {
        const { files, pkg: manifest } = packed.get(pkg.name)!;
        const targets = [...exportTargets(manifest.exports), manifest.main, manifest.types].filter(
          (target): target is string => typeof target === 'string',
        );
        expect(targets.length).toBeGreaterThan(0);
        for (const target of targets) expect(files).toContain(target.replace(/^\.\//, ''));
      });

      it('has no workspace: ranges left, and takes core and tsyringe as peers', () => {
        const { pkg: manifest } = packed.get(pkg.name)!;
        expect(JSON.stringify(manifest)).not.toContain('workspace:');
        expect(manifest.peerDependencies).toHaveProperty(['tsyringe']);
        if (pkg.name !== '@confab/core') {
          expect(manifest.peerDependencies?.['@confab/core']).toMatch(/^\^\d+\.\d+\.\d+$/);
          // A regular dependency on core would give the plugin its own copy: two sets of tokens.
          expect(manifest.dependencies ?? {}).not.toHaveProperty(['@confab/core']);
        }
      });

      it('passes publint on the tarball', async () => {
        const { tarball } = packed.get(pkg.name)!;
        const bytes = await readFile(tarball);
        const tarballBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
        const { messages, pkg: linted } = await publint({
          pack: { tarball: tarballBuffer },
          level: 'suggestion',
        });
        const describe = (type: string) =>
          messages
            .filter((m) => m.type === type)
            .map((m) => `${pkg.name}: ${formatMessage(m, linted) ?? m.code}`);
        for (const line of [...describe('warning'), ...describe('suggestion')])
          console.warn(`publint ${line}`);
        expect(describe('error')).toEqual([]);
      });
    });
  }
});

describe('the packed core and plugins, installed outside the workspace', () => {
  let project: string;

  beforeAll(async () => {
    project = await tempDir('confab-consumer-');
    await writeFile(
      join(project, 'package.json'),
      JSON.stringify({ name: 'confab-consumer', private: true, type: 'module' }, null, 2),
    );
    const tarballs = [
      '@confab/core',
      '@confab/transport-console',
      '@confab/testkit',
      '@confab/store-lmdb',
    ].map((name) => packed.get(name)!.tarball);
    // npm, as a user would; peers and the packages' own dependencies come from the registry.
    // Install scripts are skipped: lmdb ships prebuilt binaries and loads them at runtime.
    await run(
      'npm',
      [
        'install',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--loglevel=error',
        ...tarballs,
        'tsyringe@^4.10.0',
        'reflect-metadata@^0.2.2',
      ],
      { cwd: project },
    );
  }, 120_000);

  it('loads the console plugin, registers and resolves it in a container, and runs a bot', async () => {
    await writeFile(join(project, 'load.mjs'), LOAD_SCRIPT);
    const { stdout } = await run(process.execPath, ['load.mjs'], { cwd: project, timeout: 30_000 });
    expect(JSON.parse(stdout)).toEqual({
      coreIsInstalledCopy: true,
      isPlugin: true,
      kind: 'transport',
      resolved: 'ConsoleTransport',
      platform: 'console',
      received: 'typed in the console',
      botReply: 'helper> You said: hello from npm\n',
    });
  });

  it('typechecks against the packed declarations', async () => {
    await mkdir(join(project, 'src'), { recursive: true });
    await writeFile(join(project, 'src', 'consumer.ts'), CONSUMER_TS);
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify(consumerTsconfig(), null, 2));
    const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project }).catch(
      (error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }),
    );
    expect(result.stdout).toBe('');
  });
});

/** Runs in the consumer project: imports resolve from its node_modules only. */
const LOAD_SCRIPT = `import 'reflect-metadata';
import { once } from 'node:events';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import { container } from 'tsyringe';
import {
  Bot, EventBus, Tokens, configSchema, createSilentLogger, isPluginDefinition, parseConfig,
} from '@confab/core';
import consolePlugin, { ConsoleTokens } from '@confab/transport-console';

const out = {};
out.coreIsInstalledCopy = realpathSync(fileURLToPath(import.meta.resolve('@confab/core'))).startsWith(
  realpathSync(process.cwd()),
);
out.isPlugin = isPluginDefinition(consolePlugin);
out.kind = consolePlugin.kind;

// By hand, as the bot does it: a child container with the plugin's tokens.
const child = container.createChildContainer();
const section = consolePlugin.configSchema.parse({ user: 'npm' });
const input = new PassThrough();
child.register(Tokens.PluginConfig, { useValue: section });
child.register(Tokens.PluginInstance, {
  useValue: { name: 'console', kind: 'transport', specifier: consolePlugin.name, configDir: process.cwd() },
});
child.register(Tokens.Logger, { useValue: createSilentLogger() });
child.register(Tokens.EventBus, { useValue: new EventBus() });
child.register(ConsoleTokens.Streams, { useValue: { input, output: new PassThrough() } });
consolePlugin.register(child, section);
const transport = child.resolve(Tokens.Transport);
out.resolved = transport.constructor.name;
out.platform = transport.platform;
const received = new Promise((resolve) => transport.start(resolve));
input.write('typed in the console\\n');
out.received = (await received).text;
await transport.stop();

// A whole bot from a config, the plugins imported by package name from this project.
const botIn = new PassThrough();
const botOut = new PassThrough();
const parent = container.createChildContainer();
parent.register(ConsoleTokens.Streams, { useValue: { input: botIn, output: botOut } });
const loaded = await parseConfig(
  [
    'transports:',
    "  - plugin: '@confab/transport-console'",
    'backends:',
    '  - name: scripted',
    "    plugin: '@confab/testkit/scripted-backend'",
    '    profiles:',
    "      default: { reply: 'You said: {text}' }",
    'mates:',
    '  - name: helper',
    '    backend: scripted',
    '    profile: default',
    'store:',
    "  plugin: '@confab/store-lmdb'",
  ].join('\\n'),
  'confab.yaml',
  { importPlugin: (specifier) => import(specifier), env: {}, dotenv: false },
);
const bot = Bot.create(loaded, { parent, logger: createSilentLogger() });
await bot.start();
botIn.write('hello from npm\\n');
const [chunk] = await once(botOut, 'data');
out.botReply = chunk.toString('utf8');
await bot.stop(1000);
process.stdout.write(JSON.stringify(out));
process.exit(0);
`;

/** A plugin author's code against the published types. */
const CONSUMER_TS = `import 'reflect-metadata';
import {
  type Backend,
  type GenerateRequest,
  type PluginInstanceInfo,
  type StreamPart,
  Tokens,
  definePlugin,
  z,
} from '@confab/core';
import consolePlugin, { ConsoleTransport, type ConsoleTransportConfig } from '@confab/transport-console';
import { createTestBot } from '@confab/testkit';
import { type DependencyContainer, inject, injectable } from 'tsyringe';

const schema = z.object({ profiles: z.record(z.object({ word: z.string() }).strict()) }).strict();

@injectable()
class WordBackend implements Backend {
  readonly name: string;
  constructor(
    @inject(Tokens.PluginConfig) private readonly config: z.output<typeof schema>,
    @inject(Tokens.PluginInstance) instance: PluginInstanceInfo,
  ) {
    this.name = instance.name;
  }
  profiles(): readonly string[] {
    return Object.keys(this.config.profiles);
  }
  capacity() {
    return { workers: 1, parallel: 1, contextTokens: 100 };
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async *generate(request: GenerateRequest): AsyncIterable<StreamPart> {
    yield { type: 'text-delta', text: this.config.profiles[request.profile]?.word ?? '' };
    yield { type: 'finish', reason: 'stop', usage: { inputTokens: 0, outputTokens: 1 } };
  }
}

export const wordPlugin = definePlugin({
  name: 'word',
  kind: 'backend',
  configSchema: schema,
  register(container: DependencyContainer) {
    container.registerSingleton(Tokens.Backend, WordBackend);
  },
});

const section: ConsoleTransportConfig = consolePlugin.configSchema.parse({});
export const user: string = section.user;
export const transportClass: typeof ConsoleTransport = ConsoleTransport;
export const makeBot = () => createTestBot({ profiles: { default: { reply: 'hi' } } });
`;

function consumerTsconfig() {
  return {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      // Check our declarations too, not only the consumer's use of them.
      skipLibCheck: false,
      types: ['node'],
      typeRoots: [join(REPO_ROOT, 'node_modules', '@types')],
    },
    include: ['src'],
  };
}
