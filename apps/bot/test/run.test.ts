import { describe, expect, it } from 'vitest';
import {
  consoleConfig,
  runCli,
  SLOW_REPLY_PROFILE,
  signalMidReply,
  startCli,
  tempDir,
  writeFiles,
} from './cli-harness.js';

/** A directory holding `confab.yaml` with the console transport and a scripted backend profile. */
async function botDir(profile?: string, logLevel = 'warn'): Promise<string> {
  const dir = await tempDir();
  const config = consoleConfig(profile ? { profile } : {}).replace('level: warn', `level: ${logLevel}`);
  await writeFiles(dir, { 'confab.yaml': config });
  return dir;
}

/** Starts the bot and resolves once it is running (its info log says so). */
async function startBot(profile: string, args: string[] = []) {
  const bot = startCli(['run', ...args], { cwd: await botDir(profile, 'info'), timeoutMs: 30_000 });
  await bot.waitForStderr('confab is running');
  return bot;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('confab run with the console transport and the scripted backend', () => {
  it('answers a line typed on stdin and exits 0 on SIGTERM; stdout carries replies only', async () => {
    const bot = startCli(['run'], { cwd: await botDir(undefined, 'info') });
    bot.process.stdin.write('hello bot\n');
    await bot.waitForStdout('helper> You said: hello bot\n');
    bot.process.stdin.write('and again\n');
    await bot.waitForStdout('helper> You said: and again\n');

    bot.process.kill('SIGTERM');
    const result = await bot.exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('helper> You said: hello bot\nhelper> You said: and again\n');
    // Logs are pino JSON lines on stderr, and they say the bot stopped because of the signal.
    const logs = result.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; reason?: string });
    expect(logs.map((l) => l.msg)).toContain('confab is running');
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'stopping', reason: 'SIGTERM' }));
  });

  it('stops by itself when stdin ends, after answering what was piped in', async () => {
    const dir = await botDir();
    const result = await runCli(['run'], { cwd: dir, input: 'first\n\nsecond\n' });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('helper> You said: first\nhelper> You said: second\n');
  });

  it('lets a reply in progress finish on SIGINT', async () => {
    const bot = await startBot(SLOW_REPLY_PROFILE);
    await signalMidReply(bot, () => bot.process.kill('SIGINT'));
  });

  it('cancels a reply that outlasts --grace and still exits 0 in bounded time', async () => {
    // The reply would take 20 s; the grace is 0.5 s.
    const bot = await startBot("        reply: 'a b c d e'\n        chunkDelayMs: 4000", ['--grace', '0.5']);
    bot.process.stdin.write('go\n');
    await sleep(300);
    const signalled = Date.now();
    bot.process.kill('SIGTERM');
    const result = await bot.exited;
    expect(result.code, result.stderr).toBe(0);
    const stoppedAfter = Date.now() - signalled;
    expect(stoppedAfter).toBeGreaterThanOrEqual(500);
    expect(stoppedAfter).toBeLessThan(10_000);
    expect(result.stdout).not.toContain('a b c d e');
  });

  it('exits at once with 130 on a second signal', async () => {
    const bot = await startBot("        reply: 'slow'\n        chunkDelayMs: 20000", ['--grace', '60']);
    bot.process.stdin.write('go\n');
    await sleep(300);
    bot.process.kill('SIGTERM');
    await sleep(300);
    expect(bot.process.exitCode).toBe(null);
    bot.process.kill('SIGINT');
    const result = await bot.exited;
    expect(result.code).toBe(130);
  });

  it('reports a config problem at run like check does', async () => {
    const dir = await tempDir();
    await writeFiles(dir, {
      'confab.yaml': consoleConfig().replace('profile: default\n', 'profile: nope\n'),
    });
    const result = await runCli(['run'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^confab\.yaml:\d+:\d+ mates\[0\]\.profile: .*nope.*\nconfab: the config is invalid \(1 problem\)\n$/,
    );
  });
});
