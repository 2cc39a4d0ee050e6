// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${VAR} references in config text.
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, isSeq, type Node, parseDocument } from 'yaml';
import { ConfigError, formatConfigIssue, parseConfig } from '../../src/index.js';
import { importPlugin } from './fixtures.js';

/**
 * `confab check` as a careless operator meets it: one mistake at a time in a valid config, a
 * thousand times over, with seeded mutations so that a failure names a case that can be rerun.
 * Every rejection must name the file, give a line wherever the YAML still has one and a key path
 * wherever the document could be read, never show an environment value, and fit on a screen.
 */

const SECRET = 'secret-token-value';
const ENV = { TOKEN: SECRET };

/** Every section and most kinds of value the schemas know, with the fixture plugins. */
const VALID = `transports:
  - plugin: "@confab/transport-console"
    prompt: "> "
    port: 8080
    accounts:
      - { mate: alice, token: "\${TOKEN}" }
    auth: { user: ada, password: hunter2 }
  - name: second
    plugin: "@confab/transport-console"
backends:
  - name: local
    plugin: "@confab/backend-fake"
    baseUrl: http://127.0.0.1:8080
    keepAlive: forever
    profiles:
      small:
        model: ./models/small.gguf
        contextSize: 4096
      large:
        model: ./models/large.gguf
mates:
  - name: alice
    system: You help.
    backend: local
    profile: small
    profiles: [large]
    displayName: Alice
    triggers: { mention: true, keywords: [help, aide] }
    scope: per-user
    history: { source: auto, maxMessages: 20 }
    sampling: { temperature: 0.7, topP: 0.9, maxTokens: 256 }
  - name: bob
    backend: local
    profile: large
engine:
  botToBot: { enabled: false, turnBudget: 4, cooldownMs: 500 }
  supersede: true
  dedupeHours: 24
scheduler:
  maxQueue: 64
  maxPerUser: 4
  batching: { minJobs: 1, maxWaitMs: 0 }
commands:
  prefix: "!"
  admins: ["123"]
  roomCommands: admins
  plugins:
    - plugin: "@confab/commands-dice"
      sides: 20
store:
  plugin: "@confab/store-sqlite"
  path: ./data
  file: bot.db
log:
  level: info
`;

/** mulberry32: small, seeded, the same sequence on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Path = (string | number)[];
type Pick = <T>(items: readonly T[]) => T;

/** Paths of every node in the document, with whether it is a mapping's key-value pair and a scalar. */
function nodePaths(root: unknown): { path: Path; inMap: boolean; scalar: boolean }[] {
  const found: { path: Path; inMap: boolean; scalar: boolean }[] = [];
  const walk = (node: unknown, path: Path, inMap: boolean): void => {
    if (path.length > 0) found.push({ path, inMap, scalar: isScalar(node) });
    if (isMap(node)) {
      for (const pair of node.items)
        if (isScalar(pair.key)) walk(pair.value, [...path, String(pair.key.value)], true);
    } else if (isSeq(node)) {
      for (const [index, item] of node.items.entries()) walk(item, [...path, index], false);
    }
  };
  walk(root, [], false);
  return found;
}

const ODD_VALUES: unknown[] = [
  42,
  -1,
  2.5,
  0,
  true,
  null,
  '',
  'text',
  [],
  {},
  ['a', 1],
  { a: 1 },
  'line one\nline two\nline three',
  '\u001b[31mred\u001b[0m\u0007',
  'x'.repeat(10_000),
  `${'${UNSET_A}'.repeat(2_500)}`,
  '${UNSET_B}',
  'before ${UNSET_C} after',
  '${BROKEN',
  '${1X}',
  '${TOKEN}x',
  'Ａlice',
  'ALICE',
];

function typo(word: string, pick: Pick, chance: () => number): string {
  const i = Math.floor(chance() * word.length);
  const variants = [
    word.slice(0, i) + word.slice(i + 1),
    word.slice(0, i) + (word[i + 1] ?? '') + (word[i] ?? '') + word.slice(i + 2),
    `${word.slice(0, i)}x${word.slice(i)}`,
    word.toUpperCase(),
    `${word}s`,
    'something-else',
  ];
  return pick(variants.filter((variant) => variant !== word && variant !== '')) ?? `${word}_`;
}

/** Breaks the YAML text itself, at a line chosen by chance. */
function breakText(text: string, pick: Pick, chance: () => number): string {
  const lines = text.split('\n');
  const at = Math.floor(chance() * (lines.length - 1));
  const line = lines[at] ?? '';
  const edits = [
    () => `\t${line}`,
    () => ` ${line}`,
    () => line.replace(':', ''),
    () => `${line} "`,
    () => `${line} [`,
    () => `${line} {`,
    () => `${line}\n${line}`,
    () => `${line}\n  : x`,
    () => `${line}\n*nowhere`,
    () => `${line}\n- stray`,
    () => line.replace(/^(\s*)/, '$1&anchor '),
    () => line.slice(0, Math.floor(line.length / 2)),
  ];
  lines[at] = pick(edits)();
  if (chance() < 0.1) return lines.join('\n').slice(0, Math.floor(chance() * text.length));
  return lines.join('\n');
}

/** One mistake in {@link VALID}, and what it was. */
function mutate(seed: number): { what: string; text: string } {
  const chance = random(seed);
  const pick: Pick = (items) => items[Math.floor(chance() * items.length)] as (typeof items)[number];
  const doc = parseDocument(VALID);
  const paths = nodePaths(doc.contents);
  const kind = pick(['delete', 'rename', 'retype', 'retype', 'reference', 'duplicate', 'text'] as const);
  switch (kind) {
    case 'delete': {
      const { path } = pick(paths);
      doc.deleteIn(path);
      return { what: `delete ${path.join('.')}`, text: doc.toString() };
    }
    case 'rename': {
      const { path } = pick(paths.filter((p) => p.inMap));
      const parent = doc.getIn(path.slice(0, -1), true) as Node;
      const key = String(path.at(-1));
      const renamed = typo(key, pick, chance);
      if (isMap(parent)) {
        const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
        if (pair && isScalar(pair.key)) pair.key.value = renamed;
      }
      return { what: `rename ${path.join('.')} to ${renamed}`, text: doc.toString() };
    }
    case 'retype': {
      const { path } = pick(paths);
      const value = pick(ODD_VALUES);
      doc.setIn(path, doc.createNode(value));
      return { what: `set ${path.join('.')} to ${JSON.stringify(value).slice(0, 40)}`, text: doc.toString() };
    }
    case 'reference': {
      const path = pick<Path>([
        ['mates', 0, 'backend'],
        ['mates', 1, 'profile'],
        ['mates', 0, 'profiles', 0],
        ['transports', 0, 'accounts', 0, 'mate'],
        ['transports', 0, 'plugin'],
        ['backends', 0, 'plugin'],
        ['commands', 'plugins', 0, 'plugin'],
        ['store', 'plugin'],
      ]);
      const value = pick([
        'nobody',
        'Local',
        'smal',
        '@confab/backend-fake',
        '@acme/nothing',
        '${UNSET_D}',
        'BOB',
      ]);
      doc.setIn(path, value);
      return { what: `set ${path.join('.')} to ${value}`, text: doc.toString() };
    }
    case 'duplicate': {
      const list = pick(['transports', 'backends', 'mates'] as const);
      const items = doc.get(list, true);
      if (!isSeq(items)) return { what: 'no list', text: VALID };
      const source = pick(items.items);
      const copy = doc.createNode((source as Node).toJSON()) as Node;
      const name = doc.getIn([list, items.items.indexOf(source), 'name']);
      const variant =
        typeof name === 'string' ? pick([name, name.toUpperCase(), `\uFF21${name.slice(1)}`]) : undefined;
      if (variant !== undefined && isMap(copy)) copy.set('name', variant);
      items.items.push(copy);
      return { what: `duplicate an entry of ${list} as ${variant ?? 'unnamed'}`, text: doc.toString() };
    }
    case 'text':
      return { what: 'break the YAML text', text: breakText(VALID, pick, chance) };
  }
}

/** Terminal rows the CLI's report takes at 100 columns: the problems and the closing count. */
function screenRows(error: ConfigError): number {
  const lines = [...error.message.split('\n'), 'confab: the config is invalid (N problems)'];
  return lines.reduce((rows, line) => rows + Math.max(1, Math.ceil([...line].length / 100)), 0);
}

/** What is wrong with how a rejection was reported; empty when nothing is. */
function faults(error: ConfigError): string[] {
  const found: string[] = [];
  const wholeFile = /^(invalid YAML: |found (an empty file|a list|a \w+ .*), expected a mapping of sections)/;
  for (const issue of error.issues) {
    const line = formatConfigIssue(issue);
    if (issue.file !== 'confab.yaml') found.push(`no file: ${line}`);
    if (issue.line === undefined && !/^found an empty file/.test(issue.message))
      found.push(`no line: ${line}`);
    if (issue.path === '' && !wholeFile.test(issue.message)) found.push(`no key path: ${line}`);
  }
  const lines = error.message.split('\n');
  if (new Set(lines).size < lines.length) found.push(`a problem reported twice: ${error.message}`);
  if (error.message.includes(SECRET)) found.push('shows the value of TOKEN');
  if (screenRows(error) > 50) found.push(`${screenRows(error)} rows for one mistake`);
  return found;
}

describe('confab check on mutated configs', () => {
  it('accepts the config the mutations start from', async () => {
    await expect(
      parseConfig(VALID, 'confab.yaml', { importPlugin, dotenv: false, env: ENV }),
    ).resolves.toBeDefined();
  });

  it('locates every rejection of 1,000 single mistakes, within a screenful', {
    timeout: 120_000,
  }, async () => {
    const failures: string[] = [];
    let rejected = 0;
    for (let seed = 1; seed <= 1_000; seed++) {
      const { what, text } = mutate(seed);
      const error = await parseConfig(text, 'confab.yaml', { importPlugin, dotenv: false, env: ENV }).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (error === undefined) continue;
      if (!(error instanceof ConfigError)) {
        failures.push(`seed ${seed} (${what}): threw ${String(error)}`);
        continue;
      }
      rejected++;
      for (const fault of faults(error)) failures.push(`seed ${seed} (${what}): ${fault.slice(0, 300)}`);
    }
    expect(failures.slice(0, 20)).toEqual([]);
    // The mutations must mostly be mistakes, or the test proves little.
    expect(rejected).toBeGreaterThan(600);
  });
});
