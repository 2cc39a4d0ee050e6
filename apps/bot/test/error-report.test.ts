import { ConfabError } from '@confab/core';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/cli-args.js';
import { reportError } from '../src/error-report.js';

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
});
