import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDefaultStore } from '../../src/store/create-store.js';
import { LmdbStore } from '../../src/store/lmdb-store.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { makeTempDir } from './temp-dir.js';

describe('createDefaultStore', () => {
  it("gives a MemoryStore for ':memory:'", () => {
    expect(createDefaultStore({ path: ':memory:' }, '/etc/confab')).toBeInstanceOf(MemoryStore);
  });

  it('resolves a relative path against the config directory', async () => {
    const temp = await makeTempDir();
    try {
      const store = createDefaultStore({ path: './confab.data' }, temp.dir);
      expect(store).toBeInstanceOf(LmdbStore);
      await store.open();
      await store.put('rooms', 'r', 1);
      await store.close();
      expect(existsSync(join(temp.dir, 'confab.data', 'data.mdb'))).toBe(true);
    } finally {
      await temp.remove();
    }
  });

  it('keeps an absolute path and names the configured path in errors', async () => {
    const temp = await makeTempDir();
    try {
      const absolute = join(temp.dir, 'abs.data');
      const store = createDefaultStore({ path: absolute }, '/nonexistent/config/dir');
      await store.open();
      await store.close();
      expect(existsSync(join(absolute, 'data.mdb'))).toBe(true);

      await expect(createDefaultStore({ path: './x/db' }, join(absolute, 'data.mdb')).open()).rejects.toThrow(
        /^store: cannot open \.\/x\/db \(.*abs\.data\/data\.mdb\/x\/db\): /,
      );
    } finally {
      await temp.remove();
    }
  });
});
