import {
  type Document,
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type ScalarTag,
  Scalar,
} from 'yaml';
import { byPosition, ConfigError, type ConfigIssue } from './config-error.js';
import { type ConfigPath, formatPath } from './config-path.js';
import { isRedactable, isSecretVariable } from './config-secrets.js';
import {
  describeKind,
  describeValue,
  escapeText,
  listSome,
  quoteValue,
  truncateText,
} from './describe-value.js';
import { type Env, expandEnv } from './env-expand.js';
import { closestMatch } from './suggest.js';

const SET_IT = 'set it or add it to .env';
// biome-ignore lint/suspicious/noTemplateCurlyInString: shows the reference syntax to the reader.
const FORMS = 'write ${NAME} or ${NAME:-default}, or $${ for a literal ${';
// A plain `${X}` inside `[...]` or `{...}` breaks YAML's flow syntax; say so where it does.
// biome-ignore lint/suspicious/noTemplateCurlyInString: shows the reference syntax to the reader.
const FLOW_HINT = '; inside [ ] or { }, quote a ${...} reference: "${NAME}"';
const TOP_LEVEL_HINT = 'a mapping of sections (transports, backends, mates, ...)';

/**
 * A config file parsed with the `yaml` library, with `${VAR}` references expanded in the syntax
 * tree so that every problem can be located at its line and column and no message shows a value
 * that came from the environment; and the problems found in it so far.
 */
export class ConfigSource {
  /** The document as plain data, after expansion. */
  readonly data: Readonly<Record<string, unknown>>;
  /** Warnings from the YAML parser and from plugins' `check`. */
  readonly warnings: ConfigIssue[];
  /**
   * Values of referenced environment variables whose names say they are secrets
   * (`${OPENAI_API_KEY}`), whatever key they were used under.
   */
  readonly secretsFromEnvironment = new Set<string>();
  private readonly issues: ConfigIssue[];
  private readonly document: Document.Parsed;
  private readonly lineCounter = new LineCounter();
  /** Scalars that had a reference expanded, with their text before expansion. */
  private readonly expanded = new Map<Node, string>();
  /**
   * Paths with a problem reported. One problem per place: the first found (an unset variable
   * before what its empty value fails, core's check of a key before a plugin's) is the one to fix.
   */
  private readonly reported = new Set<string>();
  private readonly missing = new Set<ConfigIssue>();
  /** Paths of the keys that reported unknown keys are likely misspellings of. */
  private readonly misspelt = new Set<string>();

  /**
   * Parses `text`; `issues` are problems found before (in `.env` files). Unset variables are
   * reported but the rest of the file is still checked.
   *
   * A plain (unquoted) scalar that had a reference replaced is re-read as if the value had been
   * written there, so `port: ${PORT}` with `PORT=8080` is the number 8080; only numbers and
   * booleans are taken this way, and a quoted scalar (`"${PORT}"`) always stays a string.
   *
   * @throws {ConfigError} on syntax errors, a top level that is not a mapping or an alias
   *   without its anchor: the file is unusable as a whole.
   */
  constructor(
    /** The file as the caller named it, for messages. */
    readonly file: string,
    text: string,
    env: Env,
    issues: readonly ConfigIssue[] = [],
  ) {
    this.issues = [...issues];
    const document = parseDocument(text, {
      lineCounter: this.lineCounter,
      prettyErrors: false,
      uniqueKeys: true,
    });
    this.document = document;
    this.warnings = document.warnings.map((warning) => this.located(warning.pos[0], [], warning.message));
    const unusable = (...found: ConfigIssue[]): ConfigError => new ConfigError([...this.issues, ...found]);
    if (document.errors.length > 0) {
      const errors = syntaxErrors(document).map(({ pos, message }) => {
        const hint = text.startsWith('${', pos[0] - 1) ? FLOW_HINT : '';
        return this.located(pos[0], [], `invalid YAML: ${message}${hint}`);
      });
      throw unusable(...errors);
    }
    const root = document.contents;
    if (!isMap(root)) {
      const empty = root === null || (isScalar(root) && root.value === null);
      const found = empty ? 'an empty file' : isSeq(root) ? 'a list' : describeValue(root.toJSON());
      throw unusable(
        this.located(empty ? undefined : root.range?.[0], [], `found ${found}, expected ${TOP_LEVEL_HINT}`),
      );
    }

    let unresolvedAlias = false;
    const report = (path: ConfigPath, node: Node, message: string): void => {
      this.issues.push(this.located(node.range?.[0], path, message));
      this.reported.add(formatPath(path));
    };
    // An unset variable is one problem however often it is used: reported at its first use.
    const unset = new Map<string, { path: ConfigPath; node: Node; others: string[] }>();
    const visit = (node: unknown, path: ConfigPath): void => {
      if (isMap(node)) {
        for (const { key, value } of node.items)
          if (isScalar(key)) visit(value, [...path, String(key.value)]);
      } else if (isSeq(node)) {
        for (const [index, item] of node.items.entries()) visit(item, [...path, index]);
      } else if (isAlias(node) && node.resolve(document) === undefined) {
        unresolvedAlias = true;
        report(path, node, `found *${node.source}, but no anchor &${node.source} is defined before it`);
      } else if (isScalar(node) && typeof node.value === 'string') {
        const { value, substituted, missing, malformed, used } = expandEnv(node.value, env);
        for (const { name, value } of used) {
          if (isSecretVariable(name) && isRedactable(value)) this.secretsFromEnvironment.add(value);
        }
        for (const name of new Set(missing)) {
          const first = unset.get(name);
          if (first) first.others.push(formatPath(path));
          else unset.set(name, { path, node, others: [] });
          this.reported.add(formatPath(path));
        }
        for (const reference of new Set(malformed)) {
          report(path, node, `found ${quoteValue(reference)}, which is not a variable reference; ${FORMS}`);
        }
        if (substituted) this.expanded.set(node, node.value);
        node.value = substituted && node.type === Scalar.PLAIN ? resolvePlainScalar(document, value) : value;
      }
    };
    visit(root, []);
    for (const [name, { path, node, others }] of unset) {
      const also = others.length > 0 ? ` (also used by ${listSome(others)})` : '';
      report(
        path,
        node,
        `found \${${name}}, but the environment variable ${name} is not set; ${SET_IT}${also}`,
      );
    }
    if (unresolvedAlias) throw unusable();
    try {
      this.data = document.toJS({ maxAliasCount: 1000 }) as Record<string, unknown>;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw unusable(this.located(undefined, [], `invalid YAML: ${message}`));
    }
  }

  /** The plain value at `path`, or undefined. */
  valueAt(path: ConfigPath): unknown {
    const step = (value: unknown, segment: string | number): unknown =>
      value !== null && typeof value === 'object'
        ? (value as Record<string | number, unknown>)[segment]
        : undefined;
    return path.reduce(step, this.data);
  }

  /** The text in the file of the value at `path`, when a `${VAR}` reference in it was expanded. */
  fromEnvironment(path: ConfigPath): string | undefined {
    const found = this.find(path);
    return found.exact && found.node ? this.expanded.get(found.node) : undefined;
  }

  /**
   * What was found at `path`, for "found X, expected Y". A value from the environment is
   * described by its kind and its text in the file, never by its value: `a string (from ${PORT})`.
   */
  describeFound(path: ConfigPath): string {
    const original = this.fromEnvironment(path);
    const value = this.valueAt(path);
    if (original === undefined) return describeValue(value);
    return `${describeKind(value)} (from ${escapeText(truncateText(original))})`;
  }

  /**
   * Reports a problem at `path`: at its value, or at its key with `target: 'key'`. A path that
   * does not exist (a missing key) is located at the deepest part of it that does.
   */
  report(path: ConfigPath, message: string, target: 'value' | 'key' = 'value'): ConfigIssue | undefined {
    const issue = this.issueAt(path, message, target);
    if (this.reported.has(issue.path)) return undefined;
    this.reported.add(issue.path);
    this.issues.push(issue);
    return issue;
  }

  /** Reports a missing key, unless an unknown key beside it is reported as its misspelling. */
  reportMissing(path: ConfigPath, message: string): void {
    const issue = this.report(path, message);
    if (issue) this.missing.add(issue);
  }

  /** Reports an unknown key at `path`, suggesting the closest of `allowed` or else listing them. */
  reportUnknownKey(path: ConfigPath, allowed: readonly string[]): void {
    const match = closestMatch(String(path.at(-1)), allowed);
    const listed = allowed.length > 0 ? `; the keys allowed here are: ${allowed.join(', ')}` : '';
    const message = `unknown key${match === undefined ? listed : `; did you mean "${match}"?`}`;
    if (this.report(path, message, 'key') && match !== undefined) {
      this.misspelt.add(formatPath([...path.slice(0, -1), match]));
    }
  }

  /** A warning at `path`; warnings do not stop the bot. */
  warn(path: ConfigPath, message: string): void {
    this.warnings.push(this.issueAt(path, message, 'value'));
  }

  /** @throws {ConfigError} with the problems reported, in file order, if there are any. */
  throwIfInvalid(): void {
    const issues = this.issues.filter((issue) => !(this.missing.has(issue) && this.misspelt.has(issue.path)));
    if (issues.length > 0) throw new ConfigError(issues.sort(byPosition));
  }

  private issueAt(path: ConfigPath, message: string, target: 'value' | 'key'): ConfigIssue {
    const found = this.find(path);
    return this.located((target === 'key' && found.key ? found.key : found.node)?.range?.[0], path, message);
  }

  private located(offset: number | undefined, path: ConfigPath, message: string): ConfigIssue {
    const issue = { file: this.file, path: formatPath(path), message };
    if (offset === undefined) return issue;
    const { line, col } = this.lineCounter.linePos(offset);
    return { ...issue, line, column: col };
  }

  /** The node at `path` (or the deepest one on it that exists) and, for a mapping entry, its key. */
  private find(path: ConfigPath): { node?: Node; key?: Node; exact: boolean } {
    const resolve = (node: unknown): Node | undefined =>
      isAlias(node) ? node.resolve(this.document) : isNode(node) ? node : undefined;
    let node = resolve(this.document.contents);
    let key: Node | undefined;
    for (const segment of path) {
      let next: Node | undefined;
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => isScalar(item.key) && String(item.key.value) === String(segment),
        );
        key = pair?.key as Node | undefined;
        next = resolve(pair?.value) ?? key;
      } else if (isSeq(node) && typeof segment === 'number') {
        key = undefined;
        next = resolve(node.items[segment]);
      }
      if (next === undefined) return { node, exact: false };
      node = next;
    }
    return { node, key, exact: true };
  }
}

/**
 * The syntax errors worth showing. Once the parser loses track it reports every following token
 * as "Unexpected ... token in YAML stream"; that cascade and a second error at one place say nothing new.
 */
function syntaxErrors(document: Document.Parsed): Document.Parsed['errors'] {
  const seen = new Set<number>();
  return document.errors.filter((error, index) => {
    if (seen.has(error.pos[0])) return false;
    seen.add(error.pos[0]);
    return index === 0 || !error.message.includes('token in YAML stream');
  });
}

/** `text` read as a plain YAML scalar by the document's schema, if that makes it a number or boolean. */
function resolvePlainScalar(document: Document.Parsed, text: string): unknown {
  const tag = (document.schema.tags as ScalarTag[]).find(
    (candidate) => candidate.default === true && candidate.test?.test(text) === true,
  );
  const value = tag?.resolve(text, () => undefined, document.options);
  return typeof value === 'number' || typeof value === 'boolean' ? value : text;
}
