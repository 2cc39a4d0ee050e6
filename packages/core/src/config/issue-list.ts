import type { ConfigIssue } from './config-error.js';
import { isMissingKeyIssue, suggestedKeyPath } from './validate-section.js';

/**
 * The issues of one config load, one message per mistake: an issue at a path whose cause is
 * already reported (an unset variable there) is dropped, and so is "missing" for a key whose
 * misspelling is reported as an unknown key (`nmae` → `name`), also when core reports the one
 * and a plugin's schema the other.
 */
export class IssueList {
  private readonly list: ConfigIssue[];

  /**
   * @param reported - paths whose cause is already among `initial`; later issues there are dropped.
   * @param initial - issues found before validation (unset variables, `.env` files), all kept.
   */
  constructor(
    private readonly reported: ReadonlySet<string> = new Set(),
    initial: readonly ConfigIssue[] = [],
  ) {
    this.list = [...initial];
  }

  get length(): number {
    return this.list.length;
  }

  add(...issues: readonly ConfigIssue[]): void {
    for (const issue of issues) if (!this.reported.has(issue.path)) this.list.push(issue);
  }

  /** The issues in file order: unlocated ones (the file as a whole, `.env`) first, then by line and column. */
  sorted(): ConfigIssue[] {
    const misspelt = new Set(this.list.map(suggestedKeyPath).filter((path) => path !== undefined));
    return this.list
      .filter((issue) => !(isMissingKeyIssue(issue) && misspelt.has(issue.path)))
      .sort(byPosition);
  }
}

/** Orders issues by place in the file; unlocated ones first, ties keep their order. */
export function byPosition(a: ConfigIssue, b: ConfigIssue): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}
