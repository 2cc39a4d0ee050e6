import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CLI,
  cleanEnv,
  consoleConfig,
  envRef,
  REPO_ROOT,
  runCli,
  STACK_FRAME,
  tempDir,
  writeFiles,
} from './cli-harness.js';

/** Runs `confab check -c <name>` on `text` written in a fresh directory. */
async function check(
  text: string,
  options: { name?: string; env?: Record<string, string>; files?: Record<string, string> } = {},
) {
  const dir = await tempDir();
  const name = options.name ?? 'confab.yaml';
  await writeFiles(dir, { [name]: text, ...options.files });
  return runCli(['check', '-c', name], { cwd: dir, env: cleanEnv(options.env) });
}

describe('confab check', () => {
  it('accepts a valid config: exit 0, the verdict on stdout, nothing on stderr', async () => {
    const result = await check(consoleConfig());
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('config OK: 1 transport, 1 backend, 1 mate\n');
    expect(result.code).toBe(0);
  });

  it('counts every section and reads confab.yaml by default', async () => {
    const dir = await tempDir();
    await writeFiles(dir, {
      'confab.yaml': `${consoleConfig()}
# appended: a second backend and mate
`.replace(
        'mates:\n',
        `  - name: other
    plugin: '@confab/testkit/scripted-backend'
    profiles:
      a: {}
      b: {}
mates:
  - name: second
    backend: other
    profile: a
`,
      ),
    });
    const result = await runCli(['check'], { cwd: dir });
    expect(result.stdout).toBe('config OK: 1 transport, 2 backends, 2 mates\n');
    expect(result.code).toBe(0);
  });

  it('expands environment references from .env beside the config', async () => {
    const result = await check(consoleConfig().replace('level: warn', `level: ${envRef('LOG_LEVEL')}`), {
      files: { '.env': 'LOG_LEVEL=error\n' },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  // Each malformed config: the exit code, one `file:line:col path: message` line per problem on
  // stderr, a closing count, nothing on stdout, and never a stack trace.
  const invalid: { what: string; text: string; lines: RegExp[] }[] = [
    {
      what: 'bad YAML',
      text: 'transports:\n  - name: [console\n',
      lines: [/^confab\.yaml:\d+:\d+: invalid YAML: /],
    },
    {
      what: 'a key the console transport does not know (plugin schema)',
      text: consoleConfig().replace(
        "plugin: '@confab/transport-console'",
        "plugin: '@confab/transport-console'\n    usr: x",
      ),
      lines: [/^confab\.yaml:4:5 transports\[0\]\.usr: unknown key; did you mean "user"\?$/],
    },
    {
      what: 'a mate naming a backend that does not exist',
      text: consoleConfig().replace('backend: scripted', 'backend: scriptd'),
      lines: [/^confab\.yaml:\d+:\d+ mates\[0\]\.backend: .*scriptd.*$/],
    },
    {
      what: 'an unset environment variable',
      text: consoleConfig().replace('system: You help.', `system: ${envRef('CONFAB_TEST_UNSET')}`),
      lines: [/^confab\.yaml:\d+:\d+ mates\[0\]\.system: .*CONFAB_TEST_UNSET is not set/],
    },
    {
      what: 'a plugin package that is not installed',
      text: consoleConfig().replace('@confab/testkit/scripted-backend', 'confab-backend-nowhere'),
      lines: [/^confab\.yaml:\d+:\d+ backends\[0\]\.plugin: .*"confab-backend-nowhere" is not installed/],
    },
    {
      what: 'a subpath the package does not export',
      text: consoleConfig().replace('@confab/testkit/scripted-backend', '@confab/testkit/no-such-thing'),
      lines: [/^confab\.yaml:\d+:\d+ backends\[0\]\.plugin: .*"@confab\/testkit/],
    },
    {
      what: 'two mates whose names differ only in case (both would answer)',
      text: consoleConfig().replace(
        'log:',
        '  - name: HELPER\n    backend: scripted\n    profile: default\nlog:',
      ),
      lines: [/^confab\.yaml:15:11 mates\[1\]\.name: found "HELPER", but mates\[0\] is named "helper", /],
    },
    {
      what: 'a wrong type and an empty section at once',
      text: consoleConfig()
        .replace('level: warn', 'level: loud')
        .replace(/mates:[\s\S]*?profile: default\n/, 'mates: []\n'),
      lines: [/^confab\.yaml:\d+:\d+ mates: /, /^confab\.yaml:\d+:\d+ log\.level: /],
    },
  ];

  for (const { what, text, lines } of invalid) {
    it(`rejects ${what}: exit 1 with located messages, no stack`, async () => {
      const result = await check(text);
      expect(result.code, result.stderr).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).not.toMatch(STACK_FRAME);
      const printed = result.stderr.trimEnd().split('\n');
      const count = lines.length;
      expect(printed.at(-1), result.stderr).toBe(
        `confab: the config is invalid (${count} problem${count === 1 ? '' : 's'})`,
      );
      expect(printed.slice(0, -1)).toHaveLength(count);
      for (const [i, line] of lines.entries()) expect(printed[i]).toMatch(line);
    });
  }

  it('says how to create a missing config file', async () => {
    const dir = await tempDir();
    const result = await runCli(['check', '-c', 'missing.yaml'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'missing.yaml: cannot read the config file: no such file; create one with "confab init"\n' +
        'confab: the config is invalid (1 problem)\n',
    );
  });

  it('locates a default mate the console transport cannot find, like any other reference', async () => {
    const result = await check(
      consoleConfig().replace(
        "plugin: '@confab/transport-console'",
        "plugin: '@confab/transport-console'\n    mate: nobody",
      ),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'confab.yaml:4:11 transports[0].mate: found "nobody", expected the name of a mate (one of: helper)\n' +
        'confab: the config is invalid (1 problem)\n',
    );
  });

  it('lets a slow reader have the whole report, the closing count included', async () => {
    // Every line names the file as given; a deep path makes 50 of them more than the 64 KiB a
    // pipe holds. A CLI that exits right after writing loses what the pipe did not take.
    const dir = await tempDir();
    const deep = join(...Array.from({ length: 8 }, (_, i) => `${i}`.padEnd(250, 'd')));
    await mkdir(join(dir, deep), { recursive: true });
    const mates = Array.from(
      { length: 60 },
      (_, i) => `  - { name: m${i}, backend: nowhere, profile: default }`,
    );
    const text = consoleConfig().replace(/mates:[\s\S]*?profile: default\n/, `mates:\n${mates.join('\n')}\n`);
    await writeFiles(join(dir, deep), { 'confab.yaml': text });

    // stderr through a pipe to a reader that takes its time, as a pager does until one scrolls.
    const script = '"$0" "$@" 2>&1 >/dev/null | { sleep 1; cat; }';
    const args = [script, process.execPath, CLI, 'check', '-c', join(deep, 'confab.yaml')];
    const reader = spawn('sh', ['-c', ...args], { cwd: dir, env: cleanEnv() });
    let stderr = '';
    reader.stdout.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    await new Promise((resolve) => reader.on('close', resolve));

    const printed = stderr.trimEnd().split('\n');
    expect(printed.at(-1)).toBe('confab: the config is invalid (60 problems)');
    expect(printed.at(-2)).toBe('... and 10 more problems');
    expect(printed).toHaveLength(52);
    expect(Buffer.byteLength(stderr)).toBeGreaterThan(65_536);
  });

  it("validates a backend package's own section with lines and the allowed keys", async () => {
    const result = await check(
      consoleConfig().replace('@confab/testkit/scripted-backend', '@confab/backend-ollama'),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'confab.yaml:9:9 backends[0].profiles.default.model: missing; expected a string\n' +
        'confab.yaml:9:9 backends[0].profiles.default.reply: unknown key; the keys allowed here are: model, host, options, parallel, contextTokens\n' +
        'confab: the config is invalid (2 problems)\n',
    );
  });

  it('passes on the repository quickstart config', async () => {
    const result = await runCli(['check'], { cwd: REPO_ROOT });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^config OK: 1 transport, 1 backend, 1 mate\n/);
    expect(result.code).toBe(0);
  });
});

describe('the command line', () => {
  it('prints help and the version', async () => {
    const dir = await tempDir();
    const help = await runCli(['--help'], { cwd: dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: confab <command> \[options\]/);
    for (const command of ['run', 'check', 'init']) expect(help.stdout).toContain(`  ${command} `);

    const { version } = (await import('../package.json', { with: { type: 'json' } })).default;
    const printed = await runCli(['--version'], { cwd: dir });
    expect(printed).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('exits 2 on a command line that makes no sense', async () => {
    const dir = await tempDir();
    for (const args of [[], ['fly'], ['check', '--colour'], ['run', '--grace', 'soon'], ['check', 'extra']]) {
      const result = await runCli(args, { cwd: dir });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(/^confab: .+\nRun 'confab --help' for usage\.\n$/);
      expect(result.stdout).toBe('');
    }
  });
});
