import { beforeEach, describe, expect, it } from 'vitest';
import { ConfabError } from '../../src/errors/confab-error.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import {
  applyStoreMigrations,
  latestSchemaVersion,
  readSchemaVersion,
  STORE_MIGRATIONS,
  type StoreMigration,
} from '../../src/store/migrations.js';

/** Three test-only steps that log their runs; step 2 rewrites event entries as a real one would. */
function testMigrations(log: number[]): StoreMigration[] {
  return [
    {
      version: 1,
      description: 'initial',
      async up() {
        log.push(1);
      },
    },
    {
      version: 2,
      description: 'events: timestamp number -> { at }',
      async up(store) {
        log.push(2);
        for (const { key, value } of await store.list<unknown>('events')) {
          if (typeof value === 'number') await store.put('events', key, { at: value });
        }
      },
    },
    {
      version: 3,
      description: 'no-op',
      async up() {
        log.push(3);
      },
    },
  ];
}

async function bareStore(): Promise<MemoryStore> {
  const store = new MemoryStore({ migrations: [] });
  await store.open();
  return store;
}

describe('applyStoreMigrations', () => {
  let log: number[];

  beforeEach(() => {
    log = [];
  });

  it('applies every step of a new store in order and records the version', async () => {
    const store = await bareStore();
    expect(await readSchemaVersion(store)).toBe(0);
    const result = await applyStoreMigrations(store, testMigrations(log));
    expect(result).toEqual({ from: 0, to: 3, applied: [1, 2, 3] });
    expect(log).toEqual([1, 2, 3]);
    expect(await store.get('meta', 'schemaVersion')).toBe(3);
  });

  it('applies each step once', async () => {
    const store = await bareStore();
    await applyStoreMigrations(store, testMigrations(log));
    const again = await applyStoreMigrations(store, testMigrations(log));
    expect(again).toEqual({ from: 3, to: 3, applied: [] });
    expect(log).toEqual([1, 2, 3]);
  });

  it('runs only the steps a store has not seen, on its data', async () => {
    const store = await bareStore();
    await applyStoreMigrations(store, testMigrations(log).slice(0, 1));
    await store.put('events', 'matrix/$a', 1000);
    const result = await applyStoreMigrations(store, testMigrations(log));
    expect(result).toEqual({ from: 1, to: 3, applied: [2, 3] });
    expect(log).toEqual([1, 2, 3]);
    expect(await store.get('events', 'matrix/$a')).toEqual({ at: 1000 });
  });

  it('keeps the last good version when a step fails, and retries the step next time', async () => {
    const store = await bareStore();
    const failing = testMigrations(log);
    failing[1] = {
      ...(failing[1] as StoreMigration),
      async up() {
        throw new Error('disk on fire');
      },
    };
    await expect(applyStoreMigrations(store, failing)).rejects.toThrow('disk on fire');
    expect(await readSchemaVersion(store)).toBe(1);
    expect(await applyStoreMigrations(store, testMigrations(log))).toMatchObject({ applied: [2, 3] });
  });

  it('refuses a store written by a newer build', async () => {
    const store = await bareStore();
    await applyStoreMigrations(store, testMigrations(log));
    const error = await applyStoreMigrations(store, testMigrations(log).slice(0, 2), './confab.data').catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ConfabError);
    expect(error).toMatchObject({
      code: 'store.schema-too-new',
      message:
        'store ./confab.data was written by a newer confab (schema 3, this build knows 2); ' +
        'upgrade confab or point store.path elsewhere',
    });
    expect(await readSchemaVersion(store)).toBe(3);
  });

  it('refuses a damaged schema version', async () => {
    const store = await bareStore();
    await store.put('meta', 'schemaVersion', 'two');
    await expect(applyStoreMigrations(store, testMigrations(log))).rejects.toMatchObject({
      code: 'store.schema-invalid',
      message: expect.stringContaining('meta/schemaVersion is "two"'),
    });
  });

  it('rejects a list whose versions do not count 1, 2, 3', async () => {
    const store = await bareStore();
    const [one, two, three] = testMigrations(log) as [StoreMigration, StoreMigration, StoreMigration];
    for (const list of [[two], [one, one], [one, three], [one, three, two]]) {
      await expect(applyStoreMigrations(store, list)).rejects.toThrow(
        /versions start at 1 and increase by one/,
      );
    }
    expect(log).toEqual([]);
  });

  it("core's own list is well formed and starts at 1", () => {
    expect(STORE_MIGRATIONS.map((migration) => migration.version)).toEqual(
      STORE_MIGRATIONS.map((_, index) => index + 1),
    );
    expect(latestSchemaVersion(STORE_MIGRATIONS)).toBeGreaterThanOrEqual(1);
    expect(latestSchemaVersion([])).toBe(0);
  });
});

describe('migrations at open', () => {
  it('MemoryStore migrates at open', async () => {
    const log: number[] = [];
    const store = new MemoryStore({ migrations: testMigrations(log) });
    await store.open();
    await store.close();
    await store.open();
    expect(log).toEqual([1, 2, 3]);
    expect(await readSchemaVersion(store)).toBe(3);
  });
});
