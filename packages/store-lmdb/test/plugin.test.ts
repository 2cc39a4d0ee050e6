import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Bot, type LoadedConfig, MemoryStore, type PluginDefinition, parseConfig } from '@confab/core';
import { memoryTransportPlugin, scriptedBackendPlugin } from '@confab/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import lmdbStorePlugin, { LmdbStore } from '../src/index.js';
import { makeTempDir } from './temp-dir.js';

const PLUGINS: Record<string, PluginDefinition> = {
  '@confab/store-lmdb': lmdbStorePlugin,
  '@confab/testkit/memory-transport': memoryTransportPlugin,
  '@confab/testkit/scripted-backend': scriptedBackendPlugin,
};

const BASE = `transports:
  - name: memory
    plugin: "@confab/testkit/memory-transport"
backends:
  - name: scripted
    plugin: "@confab/testkit/scripted-backend"
    profiles:
      default: { reply: "You said: {text}" }
mates:
  - { name: ada, backend: scripted, profile: default }
`;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Loads BASE plus `store` from a config file in a fresh directory, as the CLI would. */
async function load(
  store: string,
  defaultStorePlugin?: string,
): Promise<{ dir: string; loaded: LoadedConfig }> {
  const temp = await makeTempDir();
  cleanups.push(temp.remove);
  const loaded = await parseConfig(`${BASE}${store}`, join(temp.dir, 'confab.yaml'), {
    importPlugin: async (specifier) => ({ default: PLUGINS[specifier] }),
    env: {},
    dotenv: false,
    ...(defaultStorePlugin ? { defaultStorePlugin } : {}),
  });
  return { dir: temp.dir, loaded };
}

/** The store of a bot wired from `loaded` (never started), opened and written once, then closed. */
async function writeThrough(loaded: LoadedConfig): Promise<unknown> {
  const { store } = Bot.create(loaded);
  await store.open();
  await store.put('rooms', 'r', { started: true });
  await store.close();
  return store;
}

describe('@confab/store-lmdb as a store plugin', () => {
  it('keeps the environment at store.path, relative to the config file', async () => {
    const { dir, loaded } = await load(
      "store:\n  plugin: '@confab/store-lmdb'\n  path: ./state/confab.data\n",
    );
    expect(loaded.store?.definition.name).toBe('@confab/store-lmdb');
    expect(await writeThrough(loaded)).toBeInstanceOf(LmdbStore);
    expect(existsSync(join(dir, 'state', 'confab.data', 'data.mdb'))).toBe(true);
  });

  it("is the default store plugin's store where the config names none, at ./confab.data", async () => {
    const { dir, loaded } = await load('', '@confab/store-lmdb');
    expect(loaded.store?.info).toMatchObject({
      kind: 'store',
      specifier: '@confab/store-lmdb',
      configDir: dir,
    });
    expect(await writeThrough(loaded)).toBeInstanceOf(LmdbStore);
    expect(existsSync(join(dir, 'confab.data', 'data.mdb'))).toBe(true);
  });

  it("leaves store.path ':memory:' to core's MemoryStore, also as the default", async () => {
    const { dir, loaded } = await load("store:\n  path: ':memory:'\n", '@confab/store-lmdb');
    expect(loaded.store).toBeUndefined();
    expect(await writeThrough(loaded)).toBeInstanceOf(MemoryStore);
    expect(existsSync(join(dir, ':memory:'))).toBe(false);
  });

  it("refuses store.path ':memory:' when named explicitly, saying what to change", async () => {
    const { loaded } = await load("store:\n  plugin: '@confab/store-lmdb'\n  path: ':memory:'\n");
    expect(() => Bot.create(loaded)).toThrow(
      /store.path ":memory:" is core's in-memory store; remove store.plugin/,
    );
  });

  it('takes no keys of its own', async () => {
    await expect(load("store:\n  plugin: '@confab/store-lmdb'\n  mapSize: 1\n")).rejects.toThrow(/mapSize/);
    await expect(load('store:\n  mapSize: 1\n', '@confab/store-lmdb')).rejects.toThrow(/mapSize/);
  });
});
