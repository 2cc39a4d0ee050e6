import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type ScalarTag,
  Scalar,
} from 'yaml';
import type { ConfigIssue } from './config-error.js';
import { type ConfigPath, formatPath } from './config-path.js';
import { describeKind, describeValue, quoteValue } from './describe-value.js';
import { type Env, expandEnv } from './env-expand.js';

/** Whether an issue points at a value or at the key that holds it (unknown keys). */
export type IssueTarget = 'value' | 'key';

/** What {@link ConfigSource.parse} produced: a source, unless the file is unusable as a whole. */
export interface ParsedConfigSource {
  readonly source?: ConfigSource;
  readonly issues: readonly ConfigIssue[];
  readonly warnings: readonly ConfigIssue[];
}

interface Found {
  /** The deepest node on the path that exists. */
  readonly node: Node | undefined;
  /** The key node of the last pair entered, when the whole path exists. */
  readonly key: Node | undefined;
  /** Whether the whole path exists. */
  readonly exact: boolean;
}

// biome-ignore lint/suspicious/noTemplateCurlyInString: shows the reference syntax to the reader.
const REFERENCE_FORMS = 'write ${NAME} or ${NAME:-default}, or $${ for a literal ${';

// A plain `${X}` inside `[...]` or `{...}` breaks YAML's flow syntax; say so where it does.
// biome-ignore lint/suspicious/noTemplateCurlyInString: shows the reference syntax to the reader.
const FLOW_HINT = '; inside [ ] or { }, quote a ${...} reference: "${NAME}"';

const TOP_LEVEL_HINT = 'a mapping of sections (transports, backends, mates, ...)';

/**
 * A config file parsed with the `yaml` library, with `${VAR}` references expanded in the syntax
 * tree, so that every later problem can be located at its line and column, and so that a
 * message never shows a value that came from the environment.
 */
export class ConfigSource {
  private constructor(
    /** The file as the caller named it, for messages. */
    readonly file: string,
    /** The document as plain data, after expansion. */
    readonly data: Readonly<Record<string, unknown>>,
    private readonly document: Document.Parsed,
    private readonly lineCounter: LineCounter,
    /** Scalars that had a reference expanded, with their text before expansion. */
    private readonly expanded: ReadonlyMap<Node, string>,
    /** Paths whose problem is already reported (an unset variable); later issues there are noise. */
    readonly reported: ReadonlySet<string>,
  ) {}

  /**
   * Parses `text`. Syntax errors, a top level that is not a mapping and unresolvable aliases
   * make the file unusable (no source). Unset variables are issues but keep the source, so the
   * rest of the file is still checked.
   *
   * A plain (unquoted) scalar that had a reference replaced is re-read with YAML's own rules for
   * plain scalars, as if the value had been written there: `port: ${PORT}` with `PORT=8080` is
   * the number 8080, `debug: ${DEBUG}` with `DEBUG=true` a boolean. Only numbers and booleans are
   * taken this way; anything else (including `null` and empty values) stays a string, and a quoted
   * scalar (`"${PORT}"`) always stays a string.
   */
  static parse(text: string, file: string, env: Env): ParsedConfigSource {
    const lineCounter = new LineCounter();
    const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    const at = (offset: number): { line: number; column: number } => {
      const { line, col } = lineCounter.linePos(offset);
      return { line, column: col };
    };
    const warnings = document.warnings.map(
      (warning): ConfigIssue => ({ file, ...at(warning.pos[0]), path: '', message: warning.message }),
    );
    if (document.errors.length > 0) {
      const issues = syntaxErrors(document).map(
        (error): ConfigIssue => ({
          file,
          ...at(error.pos[0]),
          path: '',
          message: `invalid YAML: ${error.message}${text.startsWith('${', error.pos[0] - 1) ? FLOW_HINT : ''}`,
        }),
      );
      return { issues, warnings };
    }
    const root = document.contents;
    if (!isMap(root)) {
      const found =
        root === null || (isScalar(root) && root.value === null)
          ? { message: `found an empty file, expected ${TOP_LEVEL_HINT}` }
          : {
              ...(root.range ? at(root.range[0]) : {}),
              message: `found ${isSeq(root) ? 'a list' : describeValue(root.toJSON())}, expected ${TOP_LEVEL_HINT}`,
            };
      return { issues: [{ file, path: '', ...found }], warnings };
    }

    const issues: ConfigIssue[] = [];
    const expanded = new Map<Node, string>();
    const reported = new Set<string>();
    let unresolvedAlias = false;
    const report = (path: ConfigPath, node: Node, message: string): void => {
      issues.push({ file, ...(node.range ? at(node.range[0]) : {}), path: formatPath(path), message });
      reported.add(formatPath(path));
    };
    const visit = (node: unknown, path: ConfigPath): void => {
      if (isMap(node)) {
        for (const pair of node.items) {
          const key = keyOf(pair.key);
          if (key !== undefined) visit(pair.value, [...path, key]);
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, index) => {
          visit(item, [...path, index]);
        });
      } else if (isAlias(node)) {
        if (node.resolve(document) === undefined) {
          unresolvedAlias = true;
          report(path, node, `found *${node.source}, but no anchor &${node.source} is defined before it`);
        }
      } else if (isScalar(node) && typeof node.value === 'string') {
        const original = node.value;
        const expansion = expandEnv(original, env);
        for (const name of expansion.missing) {
          report(
            path,
            node,
            `found \${${name}}, but the environment variable ${name} is not set; set it or add it to .env`,
          );
        }
        for (const reference of expansion.malformed) {
          report(
            path,
            node,
            `found ${quoteValue(reference)}, which is not a variable reference; ${REFERENCE_FORMS}`,
          );
        }
        if (expansion.substituted) expanded.set(node, original);
        if (expansion.value !== original || expansion.substituted) {
          node.value =
            expansion.substituted && node.type === Scalar.PLAIN
              ? resolvePlainScalar(document, expansion.value)
              : expansion.value;
        }
      }
    };
    visit(root, []);
    if (unresolvedAlias) return { issues, warnings };

    let data: Record<string, unknown>;
    try {
      data = document.toJS({ maxAliasCount: 1000 }) as Record<string, unknown>;
    } catch (error) {
      issues.push({
        file,
        path: '',
        message: `invalid YAML: ${error instanceof Error ? error.message : String(error)}`,
      });
      return { issues, warnings };
    }
    const source = new ConfigSource(file, data, document, lineCounter, expanded, reported);
    return { source, issues, warnings };
  }

  /** The plain value at `path`, or undefined. */
  valueAt(path: ConfigPath): unknown {
    let current: unknown = this.data;
    for (const segment of path) {
      if (current === null || typeof current !== 'object') return undefined;
      current = (current as Record<string | number, unknown>)[segment];
    }
    return current;
  }

  /**
   * What was found at `path`, for "found X, expected Y". A value that came from the environment
   * is described by its kind and its text in the file, never by its value:
   * `a string (from ${PORT})`.
   */
  describeFound(path: ConfigPath): string {
    const found = this.find(path);
    const value = this.valueAt(path);
    const original = found.exact && found.node ? this.expanded.get(found.node) : undefined;
    return original === undefined ? describeValue(value) : `${describeKind(value)} (from ${original})`;
  }

  /** Whether the value at `path` came (partly) from an environment variable. */
  isFromEnvironment(path: ConfigPath): boolean {
    const found = this.find(path);
    return found.exact && found.node !== undefined && this.expanded.has(found.node);
  }

  /**
   * Line and column of `path`: of its value, or of its key with `target: 'key'`. A path that
   * does not exist (a missing key) is located at the deepest part of it that does.
   */
  location(path: ConfigPath, target: IssueTarget = 'value'): { line: number; column: number } | undefined {
    const found = this.find(path);
    const node = found.exact && target === 'key' && found.key ? found.key : found.node;
    const offset = node?.range?.[0];
    if (offset === undefined) return undefined;
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }

  /** An issue about `path`, located in this file. */
  issue(path: ConfigPath, message: string, target: IssueTarget = 'value'): ConfigIssue {
    return { file: this.file, ...this.location(path, target), path: formatPath(path), message };
  }

  private find(path: ConfigPath): Found {
    let node: Node | undefined = this.resolve(this.document.contents);
    let key: Node | undefined;
    for (const segment of path) {
      let next: Node | undefined;
      key = undefined;
      if (isMap(node)) {
        const pair = node.items.find((item) => keyOf(item.key) === String(segment));
        if (pair) {
          key = isScalar(pair.key) ? pair.key : undefined;
          next = this.resolve(pair.value) ?? key;
        }
      } else if (isSeq(node) && typeof segment === 'number') {
        next = this.resolve(node.items[segment]);
      }
      if (next === undefined) return { node, key: undefined, exact: false };
      node = next;
    }
    return { node, key, exact: true };
  }

  private resolve(node: unknown): Node | undefined {
    if (isAlias(node)) return node.resolve(this.document);
    return isMap(node) || isSeq(node) || isScalar(node) ? node : undefined;
  }
}

/**
 * The syntax errors worth showing. Once the parser loses track, it reports every following
 * token as "Unexpected ... token in YAML stream"; that cascade (after the first error) and a
 * second error at the same place say nothing new.
 */
function syntaxErrors(document: Document.Parsed): Document.Parsed['errors'] {
  const seen = new Set<number>();
  return document.errors.filter((error, index) => {
    if (seen.has(error.pos[0])) return false;
    seen.add(error.pos[0]);
    return index === 0 || !error.message.includes('token in YAML stream');
  });
}

/** The text of a scalar mapping key; complex keys (mappings as keys) have none. */
function keyOf(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value) : undefined;
}

/** `text` read as a plain YAML scalar by the document's schema, if that makes it a number or boolean. */
function resolvePlainScalar(document: Document.Parsed, text: string): unknown {
  for (const tag of document.schema.tags) {
    const scalarTag = tag as ScalarTag;
    if (scalarTag.default !== true || !(scalarTag.test instanceof RegExp) || !scalarTag.test.test(text))
      continue;
    const value = scalarTag.resolve(text, () => undefined, document.options);
    return typeof value === 'number' || typeof value === 'boolean' ? value : text;
  }
  return text;
}
