import { ConfabError } from '../errors/confab-error.js';

/** One problem (or warning) in a config file, located as precisely as the YAML parser allows. */
export interface ConfigIssue {
  /** The config file (or `.env` file) as the caller named it. */
  readonly file: string;
  /** 1-based line, when the problem can be pinned to a place in the file. */
  readonly line?: number;
  /** 1-based column, with `line`. */
  readonly column?: number;
  /** Path in the document, `mates[1].backend`; empty for the file as a whole. */
  readonly path: string;
  /** What was found and what was expected; never the value of an environment variable. */
  readonly message: string;
}

/**
 * Formats an issue as one line: `confab.yaml:12:5 mates[1].backend: found "locl", expected ...`.
 * Without a path: `confab.yaml:1:1: message`; without a location: `confab.yaml mates: ...`.
 */
export function formatConfigIssue(issue: ConfigIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}:${issue.column ?? 1}`;
  return issue.path ? `${where} ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** Orders issues by place in the file; unlocated ones (the file as a whole, `.env`) first. */
export function byPosition(a: ConfigIssue, b: ConfigIssue): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

/**
 * A config file that cannot be used. It carries every problem found, not just the first; its
 * message lists them, one per line, in the order they appear in the file.
 */
export class ConfigError extends ConfabError {
  override readonly name: string = 'ConfigError';
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super('config.invalid', issues.map(formatConfigIssue).join('\n'));
    this.issues = issues;
  }
}
