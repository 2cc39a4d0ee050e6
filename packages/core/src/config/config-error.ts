import { ConfabError } from '../errors/confab-error.js';
import { escapeText, truncateText } from './describe-value.js';

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

/** The most problems a {@link ConfigError}'s message lists; past a screenful, more only hide the first. */
const LISTED_PROBLEMS = 50;
/** Messages are cut to this many characters (a plugin's may be any length): one problem, one readable line. */
const MESSAGE_LENGTH = 500;

/**
 * Formats an issue as one line: `confab.yaml:12:5 mates[1].backend: found "locl", expected ...`.
 * Without a path: `confab.yaml:1:1: message`; without a location: `confab.yaml mates: ...`.
 * Control characters are escaped wherever they came from, so one problem is always one line.
 */
export function formatConfigIssue(issue: ConfigIssue): string {
  const where = issue.line === undefined ? issue.file : `${issue.file}:${issue.line}:${issue.column ?? 1}`;
  const message = truncateText(issue.message, MESSAGE_LENGTH);
  return escapeText(issue.path ? `${where} ${issue.path}: ${message}` : `${where}: ${message}`);
}

/** The report of `issues`: one line each, the first {@link LISTED_PROBLEMS} and a count of the rest. */
function formatConfigIssues(issues: readonly ConfigIssue[]): string {
  const lines = issues.slice(0, LISTED_PROBLEMS).map(formatConfigIssue);
  const more = issues.length - LISTED_PROBLEMS;
  if (more > 0) lines.push(`... and ${more} more problem${more === 1 ? '' : 's'}`);
  return lines.join('\n');
}

/** Orders issues by place in the file; unlocated ones (the file as a whole, `.env`) first. */
export function byPosition(a: ConfigIssue, b: ConfigIssue): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

/**
 * A config file that cannot be used. It carries every problem found, not just the first; its
 * message lists them, one per line, in the order they appear in the file, up to a screenful.
 */
export class ConfigError extends ConfabError {
  override readonly name: string = 'ConfigError';
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super('config.invalid', formatConfigIssues(issues));
    this.issues = issues;
  }
}
