import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyGguf } from '@confab/testkit/gguf';

/** Generated models for one test file, removed afterwards. */
export async function generatedModels() {
  const dir = await mkdtemp(join(tmpdir(), 'confab-llamacpp-'));
  const structured = (await writeTinyGguf(join(dir, 'structured.gguf'), { kind: 'structured' })).path;
  const random = (await writeTinyGguf(join(dir, 'random.gguf'), { kind: 'random', seed: 3 })).path;
  return { dir, structured, random, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
