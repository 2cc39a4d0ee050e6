import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { getLlama, type Llama, LlamaChatSession, LlamaCompletion, LlamaLogLevel } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { structuredContinuation, writeTinyGguf } from '../src/gguf/index.js';
import { toHalf } from '../src/gguf/gguf-writer.js';

const run = promisify(execFile);
let dir: string;
let llama: Llama;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'confab-gguf-'));
  // One thread: the library default oversubscribes small machines (see TESTING.md).
  llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
});

afterAll(async () => {
  await llama?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('toHalf', () => {
  it('encodes IEEE half floats, rounding to nearest even', () => {
    expect(toHalf(1)).toBe(0x3c00);
    expect(toHalf(-2)).toBe(0xc000);
    expect(toHalf(0.5)).toBe(0x3800);
    expect(toHalf(65504)).toBe(0x7bff);
    expect(toHalf(1e6)).toBe(0x7c00);
    expect(toHalf(2 ** -24)).toBe(0x0001);
    expect(toHalf(1 + 2 ** -11)).toBe(0x3c00);
    expect(toHalf(1 + 3 * 2 ** -11)).toBe(0x3c02);
  });
});

describe('writeTinyGguf', () => {
  it('writes a structured model whose ChatML reply is exactly "OK."', async () => {
    const model = await writeTinyGguf(join(dir, 'structured.gguf'), { kind: 'structured', dtype: 'f16' });
    const header = await readFile(model.path);
    expect(header.subarray(0, 4).toString('latin1')).toBe('GGUF');
    expect(header.readUInt32LE(4)).toBe(3);
    expect(model.bytes).toBe(header.length);
    const loaded = await llama.loadModel({ modelPath: model.path });
    const context = await loaded.createContext({ contextSize: 1024, threads: 1 });
    const session = new LlamaChatSession({ contextSequence: context.getSequence() });
    expect(session.chatWrapper.wrapperName).toBe('ChatML');
    expect(await session.prompt('hello there', { maxTokens: 16 })).toBe('OK.');
    expect(await session.prompt('and again', { maxTokens: 16 })).toBe('OK.');
    await context.dispose();

    const completionContext = await loaded.createContext({ contextSize: 256, threads: 1 });
    const completion = new LlamaCompletion({ contextSequence: completionContext.getSequence() });
    expect(await completion.generateCompletion('7', { maxTokens: 16 })).toBe(structuredContinuation('7'));
    expect(structuredContinuation('7')).toBe('6543210');
    await completionContext.dispose();
    await loaded.dispose();
  });

  it('writes a random F32 model that generates context-dependent text, deterministically', async () => {
    const options = { kind: 'random', dtype: 'f32', seed: 7 } as const;
    const a = await writeTinyGguf(join(dir, 'random-a.gguf'), options);
    const b = await writeTinyGguf(join(dir, 'random-b.gguf'), options);
    expect((await readFile(a.path)).equals(await readFile(b.path))).toBe(true);
    expect(a.bytes).toBeGreaterThan(a.parameters * 4);
    const loaded = await llama.loadModel({ modelPath: a.path });
    const context = await loaded.createContext({ contextSize: 256, threads: 1 });
    const sequence = context.getSequence();
    const completion = new LlamaCompletion({ contextSequence: sequence });
    const generate = async (prompt: string) => {
      const text = await completion.generateCompletion(prompt, { maxTokens: 12 });
      await sequence.clearHistory();
      return text;
    };
    const first = await generate('hello');
    expect(first.length).toBeGreaterThan(0);
    expect(await generate('hello')).toBe(first);
    const texts: string[] = [];
    for (const prompt of ['goodbye', 'xyz 123', 'The cat']) texts.push(await generate(prompt));
    expect(new Set([first, ...texts]).size).toBeGreaterThan(1);
    completion.dispose();
    await context.dispose();
    await loaded.dispose();
  });

  it('sizes the named shapes as documented', async () => {
    const model = await writeTinyGguf(join(dir, 'small.gguf'), { kind: 'random', size: 'small' });
    expect(model.parameters).toBeGreaterThan(800_000);
    expect(model.parameters).toBeLessThan(1_200_000);
  });
});

describe('confab-gguf CLI', () => {
  it('writes a model and rejects bad options with usage', async () => {
    const cli = fileURLToPath(new URL('../dist/gguf/cli.js', import.meta.url));
    const out = join(dir, 'cli.gguf');
    const { stdout } = await run(process.execPath, [cli, '--out', out, '--kind', 'random', '--dtype', 'f32']);
    expect(stdout).toContain(`${out}: `);
    expect((await readFile(out)).subarray(0, 4).toString('latin1')).toBe('GGUF');
    await expect(run(process.execPath, [cli, '--out', out, '--kind', 'weird'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--kind must be structured or random, got "weird"'),
    });
  });
});
