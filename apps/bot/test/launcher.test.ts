import { describe, expect, it } from 'vitest';
import {
  cleanEnv,
  consoleConfig,
  runCli,
  SLOW_REPLY_PROFILE,
  signalMidReply,
  startCli,
  tempDir,
  writeFiles,
} from './cli-harness.js';

// `confab run` runs the bot in a child Node process when it gives it fewer V8 helper threads than
// Node's default; CONFAB_V8_POOL_SIZE=1 makes it do so on any machine.
const LAUNCHED = cleanEnv({ CONFAB_V8_POOL_SIZE: '1' });
const LAUNCH_LOG = 'running in a child process of the launcher';

interface LogLine {
  readonly msg: string;
  readonly reason?: string;
  readonly pid?: number;
  readonly launcherPid?: number;
  readonly v8PoolSize?: number;
}

function logLines(stderr: string): LogLine[] {
  return stderr
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

async function botDir(profile = SLOW_REPLY_PROFILE): Promise<string> {
  const dir = await tempDir();
  await writeFiles(dir, { 'confab.yaml': consoleConfig({ profile }).replace('level: warn', 'level: info') });
  return dir;
}

/** Starts a launched bot and resolves once it runs, with the bot's own pid. */
async function startLaunched(options: { processGroup?: boolean; args?: string[] } = {}) {
  const cli = startCli(['run', ...(options.args ?? [])], {
    cwd: await botDir(),
    env: LAUNCHED,
    timeoutMs: 30_000,
    processGroup: options.processGroup ?? false,
  });
  await cli.waitForStderr('confab is running');
  const launch = logLines(cli.stderr()).find((line) => line.msg.startsWith(LAUNCH_LOG));
  if (launch?.pid === undefined) throw new Error(`no launch log line:\n${cli.stderr()}`);
  return { cli, botPid: launch.pid, launch };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('confab run under its launcher', () => {
  it('runs the bot in a child with one V8 helper thread, sharing stdin and stdout', async () => {
    const { cli, botPid, launch } = await startLaunched();
    expect(launch).toMatchObject({ launcherPid: cli.process.pid, v8PoolSize: 1 });
    expect(botPid).not.toBe(cli.process.pid);
    cli.process.stdin.end('hello\n');
    const result = await cli.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('helper> one two three four\n');
  });

  it('stops gracefully, once, on a Ctrl-C that reaches the launcher and the bot alike', async () => {
    const { cli } = await startLaunched({ processGroup: true });
    const result = await signalMidReply(cli, () => process.kill(-(cli.process.pid as number), 'SIGINT'));
    const logs = logLines(result.stderr);
    expect(logs.filter((line) => line.msg === 'stopping')).toEqual([
      expect.objectContaining({ reason: 'SIGINT' }),
    ]);
    expect(logs.map((line) => line.msg)).not.toContain('second signal: exiting without waiting');
  });

  it('exits at once with 130 on a second Ctrl-C', async () => {
    const { cli } = await startLaunched({ processGroup: true, args: ['--grace', '60'] });
    cli.process.stdin.write('go\n');
    await sleep(200);
    process.kill(-(cli.process.pid as number), 'SIGINT');
    await sleep(700);
    expect(cli.process.exitCode).toBe(null);
    process.kill(-(cli.process.pid as number), 'SIGINT');
    const result = await cli.exited;
    expect(result.code).toBe(130);
  });

  it('relays a SIGTERM sent to the launcher alone, as `docker stop` does', async () => {
    const { cli } = await startLaunched();
    const result = await signalMidReply(cli, () => cli.process.kill('SIGTERM'));
    expect(logLines(result.stderr)).toContainEqual(
      expect.objectContaining({ msg: 'stopping', reason: 'SIGTERM' }),
    );
  });

  it('stops on a signal sent to the bot alone, and the launcher exits with its code', async () => {
    const { cli, botPid } = await startLaunched();
    process.kill(botPid, 'SIGTERM');
    const result = await cli.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(logLines(result.stderr)).toContainEqual(
      expect.objectContaining({ msg: 'stopping', reason: 'SIGTERM' }),
    );
  });

  it('stops the bot gracefully when the launcher is killed', async () => {
    const { cli, botPid } = await startLaunched();
    cli.process.kill('SIGKILL');
    // The bot still holds the pipes, so the streams close only once it has exited too.
    const result = await cli.exited;
    expect(result.signal).toBe('SIGKILL');
    expect(logLines(result.stderr)).toContainEqual(
      expect.objectContaining({ msg: 'stopping', reason: 'launcher exited' }),
    );
    expect(logLines(result.stderr).map((line) => line.msg)).toContain('stopped');
    // Its streams close as it exits; the process itself is gone a moment later.
    const deadline = Date.now() + 5_000;
    while (isAlive(botPid) && Date.now() < deadline) await sleep(50);
    expect(isAlive(botPid)).toBe(false);
  });

  it('exits with the bot’s code and message for a bad config', async () => {
    const dir = await tempDir();
    await writeFiles(dir, {
      'confab.yaml': consoleConfig().replace('profile: default\n', 'profile: nope\n'),
    });
    const launched = await runCli(['run'], { cwd: dir, env: LAUNCHED });
    const direct = await runCli(['run'], { cwd: dir, env: cleanEnv({ CONFAB_V8_POOL_SIZE: 'node' }) });
    expect(launched.code).toBe(1);
    expect(launched.stderr).toMatch(/mates\[0\]\.profile: .*nope/);
    expect(launched).toEqual(direct);
  });

  it('runs the bot in its own process when told to keep Node’s pool or one is set', async () => {
    for (const env of [
      cleanEnv({ CONFAB_V8_POOL_SIZE: 'node' }),
      cleanEnv({ CONFAB_V8_POOL_SIZE: '1', NODE_OPTIONS: '--v8-pool-size=2' }),
    ]) {
      const result = await runCli(['run'], { cwd: await botDir("        reply: 'hi'"), env, input: 'x\n' });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe('helper> hi\n');
      expect(result.stderr).toContain('confab is running');
      expect(result.stderr).not.toContain(LAUNCH_LOG);
    }
  });

  it('says what a bad CONFAB_V8_POOL_SIZE should be, before loading anything', async () => {
    const result = await runCli(['run'], {
      cwd: await botDir(),
      env: cleanEnv({ CONFAB_V8_POOL_SIZE: 'lots' }),
    });
    expect(result).toMatchObject({
      code: 1,
      stdout: '',
      stderr:
        "confab: CONFAB_V8_POOL_SIZE must be auto, node or a whole number of threads from 1 to 256; found 'lots'\n",
    });
  });
});
