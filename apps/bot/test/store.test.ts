import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LmdbStore } from '@confab/store-lmdb';
import { describe, expect, it } from 'vitest';
import { consoleConfig, runCli, tempDir, writeFiles } from './cli-harness.js';

describe("the bot's store", () => {
  it('is LMDB in ./confab.data beside the config when the config names no store plugin', async () => {
    const dir = await tempDir();
    await writeFiles(dir, { 'confab.yaml': consoleConfig() });
    const result = await runCli(['run'], { cwd: dir, input: 'remember me\n' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // The console keeps no history, so the conversation is in the store.
    const store = new LmdbStore({ path: join(dir, 'confab.data') });
    await store.open();
    try {
      const history = await store.list<{ role: string; content: string }>('history');
      expect(history.map((entry) => entry.value)).toEqual([
        expect.objectContaining({ role: 'user', content: expect.stringContaining('remember me') }),
        expect.objectContaining({ role: 'assistant', content: 'You said: remember me' }),
      ]);
    } finally {
      await store.close();
    }
  });

  it("keeps nothing on disk with store.path ':memory:'", async () => {
    const dir = await tempDir();
    await writeFiles(dir, { 'confab.yaml': consoleConfig({ extra: "store:\n  path: ':memory:'\n" }) });
    const result = await runCli(['run'], { cwd: dir, input: 'forget me\n' });
    expect(result.stdout).toBe('helper> You said: forget me\n');
    expect(result.code).toBe(0);
    expect(await readdir(dir)).toEqual(['confab.yaml']);
  });

  it('is checked by confab check without creating its directory', async () => {
    const dir = await tempDir();
    await writeFiles(dir, { 'confab.yaml': consoleConfig({ extra: 'store:\n  path: ./state\n' }) });
    const result = await runCli(['check'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^config OK: /);
    expect(await readdir(dir)).toEqual(['confab.yaml']);
  });
});
