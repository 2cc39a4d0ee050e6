import { describe, expect, it } from 'vitest';
import { ConfabError } from '../../src/errors/confab-error.js';
import { createBuiltinStore } from '../../src/store/builtin-store.js';
import { MemoryStore } from '../../src/store/memory-store.js';

describe('createBuiltinStore', () => {
  it("gives a MemoryStore for ':memory:'", () => {
    expect(createBuiltinStore({ path: ':memory:' })).toBeInstanceOf(MemoryStore);
  });

  it('refuses a path on disk, which needs a store plugin, and says what to set', () => {
    expect(() => createBuiltinStore({ path: './confab.data' })).toThrow(
      new ConfabError(
        'store.no-plugin',
        'store.path is "./confab.data" but no store plugin is loaded to keep it there; set store.plugin ' +
          '(the confab CLI uses "@confab/store-lmdb"), or store.path: ":memory:" to keep state in memory only',
      ),
    );
  });
});
