import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeTinyGguf } from '@confab/testkit/gguf';
import { describe, expect, it } from 'vitest';
import { cleanEnv, REPO_ROOT, runCli, STACK_FRAME, tempDir, writeFiles } from './cli-harness.js';

/** The README's quickstart config, copied so its store lands in a temporary directory. */
async function quickstartDir(): Promise<string> {
  const dir = await tempDir('confab-quickstart-');
  await writeFiles(dir, { 'confab.yaml': await readFile(join(REPO_ROOT, 'confab.yaml'), 'utf8') });
  return dir;
}

describe('the quickstart config (confab.yaml, llama.cpp backend)', () => {
  it('runs a mate on the local GGUF named by CONFAB_MODEL', async () => {
    const dir = await quickstartDir();
    const { path } = await writeTinyGguf(join(dir, 'tiny.gguf'), { kind: 'structured' });
    const result = await runCli(['run'], {
      cwd: dir,
      env: cleanEnv({ CONFAB_MODEL: path }),
      input: 'hello\n',
      timeoutMs: 60_000,
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('helper> OK.\n');
    expect(result.code).toBe(0);
  }, 90_000);

  it('with no model to be had, says how to point it at a local file or Ollama and exits 1', async () => {
    const dir = await quickstartDir();
    // A URI whose server refuses at once: the same path as a first run without network.
    const result = await runCli(['run'], {
      cwd: dir,
      env: cleanEnv({ CONFAB_MODEL: 'http://127.0.0.1:9/model.gguf' }),
      input: '',
      timeoutMs: 60_000,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      "backend 'local' profile 'default': cannot download http://127.0.0.1:9/model.gguf",
    );
    expect(result.stderr).toContain('set backends[0].profiles.default.model to a local .gguf file');
    expect(result.stderr).toContain('CONFAB_MODEL=/path/to/model.gguf');
    expect(result.stderr).toContain('"@confab/backend-ollama"');
    expect(result.stderr).not.toMatch(STACK_FRAME);
  }, 90_000);
});
