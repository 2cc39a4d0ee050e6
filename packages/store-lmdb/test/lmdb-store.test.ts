import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  EventLedger,
  isConfabError,
  latestSchemaVersion,
  STORE_MIGRATIONS,
  type StoreMigration,
} from '@confab/core';
import { describeStoreContract } from '@confab/testkit/store-contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LmdbStore } from '../src/lmdb-store.js';
import { makeTempDir } from './temp-dir.js';

describeStoreContract('LmdbStore', async () => {
  const temp = await makeTempDir();
  const store = new LmdbStore({ path: join(temp.dir, 'confab.data') });
  await store.open();
  return {
    store,
    async dispose() {
      await store.close();
      await temp.remove();
    },
  };
});

describe('LmdbStore', () => {
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  let path: string;

  beforeEach(async () => {
    temp = await makeTempDir();
    // A dotted name: lmdb would take it for a file unless told it is a directory.
    path = join(temp.dir, 'nested', 'confab.data');
  });

  afterEach(async () => {
    await temp.remove();
  });

  it('creates the directory and keeps data across close and reopen', async () => {
    const first = new LmdbStore({ path });
    await first.open();
    await first.put('rooms', 'matrix/!r', { started: true, mate: 'ada' });
    await first.put('rooms', 'discord/1', { started: false });
    expect(await first.putIfAbsent('events', 'matrix/$e1', 1)).toBe(true);
    await first.close();

    const second = new LmdbStore({ path });
    await second.open();
    expect(await second.get('rooms', 'matrix/!r')).toEqual({ started: true, mate: 'ada' });
    expect((await second.list('rooms')).map((entry) => entry.key)).toEqual(['discord/1', 'matrix/!r']);
    expect(await second.putIfAbsent('events', 'matrix/$e1', 2)).toBe(false);
    expect(await second.get('meta', 'schemaVersion')).toBe(latestSchemaVersion(STORE_MIGRATIONS));
    await second.close();
  });

  it('finishes writes in flight before closing', async () => {
    const store = new LmdbStore({ path });
    await store.open();
    const writes = Array.from({ length: 20 }, (_, index) => store.put('history', `m${index}`, index));
    await store.close();
    await Promise.all(writes);

    const reopened = new LmdbStore({ path });
    await reopened.open();
    expect(await reopened.list('history')).toHaveLength(20);
    await reopened.close();
  });

  it('lets two open instances on one directory claim a key exactly once between them', async () => {
    const a = new LmdbStore({ path });
    const b = new LmdbStore({ path });
    await a.open();
    await b.open();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, index) => (index % 2 ? a : b).putIfAbsent('events', 'shared', index)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await a.get('events', 'shared')).toBe(await b.get('events', 'shared'));

    await a.close();
    // Closing one instance leaves the other usable.
    await b.put('rooms', 'r', 1);
    expect(await b.get('rooms', 'r')).toBe(1);
    await b.close();
  });

  it('claims each key once across processes sharing the directory', async () => {
    const keys = Array.from({ length: 30 }, (_, index) => `matrix/$e${index}`);
    // Another process on the same layout (namespace NUL key, JSON values), through lmdb itself.
    const child = `
      import { open } from 'lmdb';
      const db = open({ path: process.argv[1], noSubdir: false, keyEncoding: 'binary', encoding: 'json' });
      const keys = JSON.parse(process.argv[2]).reverse();
      const won = [];
      for (const key of keys) {
        const id = Buffer.from('events\\0' + key);
        if (await db.ifNoExists(id, () => db.put(id, 'child'))) won.push(key);
      }
      await db.close();
      process.stdout.write(JSON.stringify(won));
    `;
    const store = new LmdbStore({ path });
    await store.open();
    const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
    const childRun = promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', child, path, JSON.stringify(keys)],
      { cwd: packageDir },
    );
    const parentWon: string[] = [];
    for (const key of keys) {
      if (await store.putIfAbsent('events', key, 'parent')) parentWon.push(key);
    }
    const childWon = JSON.parse((await childRun).stdout) as string[];

    expect([...parentWon, ...childWon].sort()).toEqual([...keys].sort());
    for (const key of childWon) expect(await store.get('events', key)).toBe('child');
    for (const key of parentWon) expect(await store.get('events', key)).toBe('parent');
    await store.close();
  });

  it('fails to open a path under a regular file with an error that says what to do', async () => {
    const file = join(temp.dir, 'a-file');
    await writeFile(file, 'not a directory');
    const store = new LmdbStore({ path: join(file, 'confab.data'), displayPath: './a-file/confab.data' });
    const error = await store.open().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isConfabError(error) && error.code).toBe('store.open-failed');
    expect((error as Error).message).toMatch(
      /^store: cannot open \.\/a-file\/confab\.data \(.*a-file\/confab\.data\): ENOTDIR.*; set store\.path to a writable directory$/,
    );
    await expect(store.get('rooms', 'r')).rejects.toThrow(/not open/);
  });

  it('names the path as given when no display path is set', async () => {
    const file = join(temp.dir, 'a-file');
    await writeFile(file, '');
    const target = join(file, 'db');
    await expect(new LmdbStore({ path: target }).open()).rejects.toThrow(`store: cannot open ${target}: `);
  });

  it('closes again when a migration fails, so the directory can be reopened', async () => {
    const failing = new LmdbStore({
      path,
      migrations: [
        {
          version: 1,
          description: 'fails',
          async up() {
            throw new Error('boom');
          },
        },
      ],
    });
    await expect(failing.open()).rejects.toThrow('boom');
    await expect(failing.get('meta', 'schemaVersion')).rejects.toThrow(/not open/);

    const store = new LmdbStore({ path });
    await store.open();
    expect(await store.get('meta', 'schemaVersion')).toBe(latestSchemaVersion(STORE_MIGRATIONS));
    await store.close();
  });

  it('migrates at open, and refuses a directory written by a newer schema', async () => {
    const log: number[] = [];
    const newer = new LmdbStore({ path, migrations: threeSteps(log) });
    await newer.open();
    expect(log).toEqual([1, 2, 3]);
    await newer.close();

    const older = new LmdbStore({ path, displayPath: './confab.data' });
    await expect(older.open()).rejects.toMatchObject({
      code: 'store.schema-too-new',
      message: expect.stringContaining(
        `store ./confab.data was written by a newer confab (schema 3, this build knows ${latestSchemaVersion(STORE_MIGRATIONS)})`,
      ),
    });
    await expect(older.get('rooms', 'r')).rejects.toThrow(/not open/);

    const reopened = new LmdbStore({ path, migrations: threeSteps(log) });
    await reopened.open();
    expect(log).toEqual([1, 2, 3]);
    await reopened.close();
  });

  it("remembers the event ledger's claims across a restart", async () => {
    const before = new LmdbStore({ path });
    await before.open();
    expect(await new EventLedger(before).claim('matrix', '$e1')).toBe(true);
    await before.close();

    const after = new LmdbStore({ path });
    await after.open();
    const ledger = new EventLedger(after);
    expect(await ledger.claim('matrix', '$e1')).toBe(false);
    expect(await ledger.claim('matrix', '$e2')).toBe(true);
    await after.close();
  });
});

/** Three steps that log their runs. */
function threeSteps(log: number[]): StoreMigration[] {
  return [1, 2, 3].map((version) => ({
    version,
    description: `step ${version}`,
    async up() {
      log.push(version);
    },
  }));
}
