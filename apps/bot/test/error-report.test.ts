import { ConfabError, ConfigError } from '@confab/core';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/cli-args.js';
import { hideInReports, reportError } from '../src/error-report.js';

function report(error: unknown, debug = false): { code: number; text: string } {
  const lines: string[] = [];
  const code = reportError(error, (text) => lines.push(text), debug);
  return { code, text: lines.join('\n') };
}

describe('reportError', () => {
  it('prints an error the user can act on as its message alone', () => {
    expect(
      report(new ConfabError('plugin.bad-instance', 'plugin "x" provided an object without send()')),
    ).toEqual({
      code: 1,
      text: 'confab: plugin "x" provided an object without send()',
    });
  });

  it('points a usage error at --help with exit code 2', () => {
    expect(report(new UsageError("unknown command 'fly'"))).toEqual({
      code: 2,
      text: "confab: unknown command 'fly'\nRun 'confab --help' for usage.",
    });
  });

  it('calls anything else a bug: one line without --debug, the stack with it', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'name')");
    const quiet = report(bug);
    expect(quiet.code).toBe(1);
    expect(quiet.text).toBe(
      "confab: unexpected error: Cannot read properties of undefined (reading 'name')\n" +
        'This is a bug in confab or a plugin; run again with --debug for the stack trace and report it.',
    );
    const loud = report(bug, true);
    expect(loud.text).toContain(bug.stack);
  });

  it('counts the problems of an invalid config, not the lines of its report', () => {
    const issues = Array.from({ length: 60 }, (_, i) => ({
      file: 'confab.yaml',
      line: i + 1,
      column: 1,
      path: `mates[${i}].system`,
      message: i === 0 ? 'a message a plugin wrote\nover two lines' : 'found a number 1, expected a string',
    }));
    const { code, text } = report(new ConfigError(issues));
    expect(code).toBe(1);
    const lines = text.split('\n');
    expect(lines[0]).toBe('confab.yaml:1:1 mates[0].system: a message a plugin wrote\\nover two lines');
    expect(lines.slice(-2)).toEqual([
      '... and 10 more problems',
      'confab: the config is invalid (60 problems)',
    ]);
    expect(lines).toHaveLength(52);
  });

  it('shows the secrets it was given as [redacted], in messages, causes and stacks', () => {
    const key = 'sk-report-0123456789';
    hideInReports([key]);
    const cause = new Error(`401 Incorrect API key provided: Bearer ${key}`);
    const acted = report(new ConfabError('backend.unauthorized', `refused ${key}`, { cause }), true);
    const bug = report(new TypeError(`kaboom ${key}`), true);
    for (const { text } of [acted, bug]) {
      expect(text).toContain('[redacted]');
      expect(text).not.toContain(key);
    }
  });
});
