import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect } from 'vitest';

/** The built CLI, as `confab` runs it. Tests exercise the real binary, not its modules. */
export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
/** The workspace root. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

if (!existsSync(CLI)) {
  throw new Error(`${CLI} is missing: build the bot first (npx turbo run build --filter=@confab/bot...)`);
}

/** What a finished CLI process left behind. */
export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** An environment without the caller's confab variables, so the developer's shell cannot change a result. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('CONFAB_') && !key.startsWith('VITEST') && key !== 'NODE_OPTIONS') env[key] = value;
  }
  return { ...env, USER: 'tester', ...extra };
}

/** Runs `confab ...args` to completion. */
export function runCli(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number },
): Promise<CliResult> {
  const child = startCli(args, options);
  if (options.input !== undefined) child.process.stdin.end(options.input);
  else child.process.stdin.end();
  return child.exited;
}

/** A running CLI process with its output collected as it comes. */
export interface RunningCli {
  readonly process: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout contains `text` (or rejects with what was printed, after `timeoutMs`). */
  waitForStdout(text: string, timeoutMs?: number): Promise<void>;
  /** Resolves once stderr (the logs) contains `text`. */
  waitForStderr(text: string, timeoutMs?: number): Promise<void>;
  readonly exited: Promise<CliResult>;
}

/**
 * Starts `confab ...args`, stdin left open for the test to write to. `processGroup` makes it the
 * leader of a process group of its own, which `process.kill(-pid, signal)` signals as a whole,
 * the way a terminal's Ctrl-C does.
 */
export function startCli(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; processGroup?: boolean },
): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: options.env ?? cleanEnv(),
    detached: options.processGroup ?? false,
  });
  let stdout = '';
  let stderr = '';
  const watchers = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    for (const watcher of watchers) watcher();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    for (const watcher of watchers) watcher();
  });
  // A hung CLI must fail the test, not the whole run.
  const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
  const exited = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  function waitFor(name: string, read: () => string, text: string, timeoutMs = 10_000): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (!read().includes(text)) return;
        watchers.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        watchers.delete(check);
        reject(
          new Error(`no "${text}" on ${name} after ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`),
        );
      }, timeoutMs);
      watchers.add(check);
      check();
    });
  }
  return {
    process: child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForStdout: (text, timeoutMs) => waitFor('stdout', () => stdout, text, timeoutMs),
    waitForStderr: (text, timeoutMs) => waitFor('stderr', () => stderr, text, timeoutMs),
  };
}

const tempDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh directory outside the workspace, removed after the file's tests. */
export async function tempDir(prefix = 'confab-cli-'): Promise<string> {
  // realpath: macOS-style symlinked temp dirs would make path assertions flaky.
  const dir = await realpath(await mkdtemp(join(tmpdir(), prefix)));
  tempDirs.push(dir);
  return dir;
}

/** Writes `files` (name → text) into `dir`. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text, 'utf8');
}

/** No stack trace frames: user errors must never show one. */
export const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

/** A config with the console transport and the scripted backend; `extra` is appended verbatim. */
export function consoleConfig(options: { profile?: string; extra?: string } = {}): string {
  return `transports:
  - name: console
    plugin: '@confab/transport-console'
backends:
  - name: scripted
    plugin: '@confab/testkit/scripted-backend'
    profiles:
      default:
${options.profile ?? "        reply: 'You said: {text}'"}
mates:
  - name: helper
    system: You help.
    backend: scripted
    profile: default
log:
  level: warn
${options.extra ?? ''}`;
}

/** A `${NAME}` reference as written in a config (spelled out so it is never read as a template). */
export function envRef(name: string): string {
  return `\${${name}}`;
}

/** A scripted profile whose reply takes long: four words, 300 ms apart. */
export const SLOW_REPLY_PROFILE = "        reply: 'one two three four'\n        chunkDelayMs: 300";

/**
 * Asks a bot on {@link SLOW_REPLY_PROFILE} a question and calls `signal` 500 ms later, in the middle
 * of the reply; resolves once the CLI has exited, having checked that it finished the reply first
 * and exited 0.
 */
export async function signalMidReply(cli: RunningCli, signal: () => void): Promise<CliResult> {
  cli.process.stdin.write('go\n');
  await new Promise((resolve) => setTimeout(resolve, 500));
  signal();
  const result = await cli.exited;
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toBe('helper> one two three four\n');
  return result;
}
