// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${VAR} references in config text.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/index.js';
import { importPlugin } from './fixtures.js';

/** YAML text from lines; plain strings so `${...}` stays literal. */
const yaml = (...lines: string[]): string => `${lines.join('\n')}\n`;

const TRANSPORTS = ['transports:', '  - plugin: "@confab/transport-console"'];
const BACKENDS = [
  'backends:',
  '  - name: local',
  '    plugin: "@confab/backend-fake"',
  '    profiles: { small: { model: a.gguf }, large: { model: b.gguf } }',
];
const MATES = ['mates:', '  - { name: alice, backend: local, profile: small }'];
/** Lines 1-8 of every case below unless it replaces them. */
const BASE = [...TRANSPORTS, ...BACKENDS, ...MATES];

const ENV = {
  PORT: '99999',
  SCOPE: 'per-rom',
  TOKEN: 's3cr3t-value',
};

async function issuesOf(text: string): Promise<string> {
  try {
    await parseConfig(text, 'confab.yaml', { importPlugin, dotenv: false, env: ENV });
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('the config was accepted');
}

const cases: [title: string, text: string, expected: string][] = [
  [
    'bad YAML',
    yaml('transports: [a, b', 'backends: 1'),
    'confab.yaml:2:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
  ],
  [
    'mis-indented key (one message, not one per parser complaint)',
    yaml('log:', '  level: info', ' engine: {}'),
    'confab.yaml:3:1: invalid YAML: All mapping items must start at the same column',
  ],
  [
    'duplicate YAML key',
    yaml(...BASE, 'mates: []'),
    'confab.yaml:9:1: invalid YAML: Map keys must be unique',
  ],
  [
    'top level is a list',
    yaml('- transports', '- backends'),
    'confab.yaml:1:1: found a list, expected a mapping of sections (transports, backends, mates, ...)',
  ],
  [
    'empty file',
    yaml('# nothing yet'),
    'confab.yaml: found an empty file, expected a mapping of sections (transports, backends, mates, ...)',
  ],
  [
    'wrong types',
    yaml(
      ...TRANSPORTS,
      ...BACKENDS,
      'mates:',
      '  - name: alice',
      '    backend: local',
      '    profile: small',
      '    history: { maxMessages: abc }',
      '    triggers: { mention: 3 }',
    ),
    [
      'confab.yaml:11:29 mates[0].history.maxMessages: found a string "abc", expected a number',
      'confab.yaml:12:26 mates[0].triggers.mention: found a number 3, expected true or false',
    ].join('\n'),
  ],
  [
    'a fraction where a whole number is needed',
    yaml(
      ...TRANSPORTS,
      ...BACKENDS,
      'mates:',
      '  - { name: alice, backend: local, profile: small, history: { maxMessages: 2.5 } }',
    ),
    'confab.yaml:8:76 mates[0].history.maxMessages: found a number 2.5, expected an integer',
  ],
  [
    'enum value',
    yaml(...BASE, 'log: { level: loud }'),
    'confab.yaml:9:15 log.level: found a string "loud", expected one of: trace, debug, info, warn, error, fatal, silent',
  ],
  [
    'number out of range',
    yaml(...BASE, 'engine: { dedupeHours: 0 }'),
    'confab.yaml:9:24 engine.dedupeHours: found a number 0, expected a number > 0',
  ],
  [
    'enum value with a suggestion',
    yaml(
      ...TRANSPORTS,
      ...BACKENDS,
      'mates:',
      '  - { name: alice, backend: local, profile: small, scope: per-rom }',
    ),
    'confab.yaml:8:59 mates[0].scope: found a string "per-rom", expected one of: per-user, per-room; did you mean "per-room"?',
  ],
  [
    'unknown top-level key with a suggestion',
    yaml(...BASE, 'backend:', '  - x'),
    'confab.yaml:9:1 backend: unknown key; did you mean "backends"?',
  ],
  [
    'unknown nested key with a suggestion (and no extra "missing" issue)',
    yaml(...TRANSPORTS, ...BACKENDS, 'mates:', '  - { name: alice, backnd: local, profile: small }'),
    'confab.yaml:8:20 mates[0].backnd: unknown key; did you mean "backend"?',
  ],
  [
    'unknown key with no close match',
    yaml(...BASE, 'log:', '  colour: red'),
    'confab.yaml:10:3 log.colour: unknown key; the keys allowed here are: level',
  ],
  [
    'missing mates',
    yaml(...TRANSPORTS, ...BACKENDS),
    'confab.yaml:1:1 mates: missing; expected a list with at least one mate',
  ],
  [
    'empty transports',
    yaml('transports: []', ...BACKENDS, ...MATES),
    'confab.yaml:1:13 transports: found an empty list, expected at least one transport',
  ],
  [
    'missing backend name',
    yaml(
      ...TRANSPORTS,
      'backends:',
      '  - plugin: "@confab/backend-fake"',
      '    profiles: { small: { model: a.gguf } }',
      ...MATES,
    ),
    'confab.yaml:4:5 backends[0].name: missing; expected a name of letters, digits, "_", "." or "-"',
  ],
  [
    'profile name that is not a name',
    yaml(
      ...TRANSPORTS,
      'backends:',
      '  - name: local',
      '    plugin: "@confab/backend-fake"',
      '    profiles: { "my model": { model: a.gguf } }',
      'mates:',
      '  - { name: alice, backend: local, profile: my-model }',
    ),
    [
      'confab.yaml:6:17 backends[0].profiles["my model"]: found the key "my model", expected a name of letters, digits, "_", "." or "-"',
      'confab.yaml:8:45 mates[0].profile: found "my-model", expected a profile of backend "local" (one of: my model); did you mean "my model"?',
    ].join('\n'),
  ],
  [
    'dangling mates[].backend',
    yaml(...TRANSPORTS, ...BACKENDS, 'mates:', '  - { name: alice, backend: locl, profile: small }'),
    'confab.yaml:8:29 mates[0].backend: found "locl", expected the name of a backend (one of: local); did you mean "local"?',
  ],
  [
    'dangling mates[].profile',
    yaml(...TRANSPORTS, ...BACKENDS, 'mates:', '  - { name: alice, backend: local, profile: smal }'),
    'confab.yaml:8:45 mates[0].profile: found "smal", expected a profile of backend "local" (one of: small, large); did you mean "small"?',
  ],
  [
    'dangling mates[].profiles[] entry',
    yaml(
      ...BASE,
      '    profiles: [large, huge]'
        .replace('    ', '  - { name: bob, backend: local, profile: small, ')
        .replace('profiles: [large, huge]', 'profiles: [large, huge] }'),
    ),
    'confab.yaml:9:68 mates[1].profiles[1]: found "huge", expected a profile of backend "local" (one of: small, large)',
  ],
  [
    'dangling transport accounts[].mate',
    yaml(
      'transports:',
      '  - plugin: "@confab/transport-console"',
      '    accounts:',
      '      - { mate: alice, token: a }',
      '      - { mate: alise, token: b }',
      ...BACKENDS,
      ...MATES,
    ),
    'confab.yaml:5:17 transports[0].accounts[1].mate: found "alise", expected the name of a mate (one of: alice); did you mean "alice"?',
  ],
  [
    'duplicate mate names',
    yaml(...BASE, '  - { name: alice, backend: local, profile: large }'),
    'confab.yaml:9:13 mates[1].name: found "alice", but mates[0] already has that name; names must be unique within mates',
  ],
  [
    'duplicate backend names',
    yaml(
      ...TRANSPORTS,
      ...BACKENDS,
      '  - { name: local, plugin: "@confab/backend-fake", profiles: { x: { model: c.gguf } } }',
      ...MATES,
    ),
    'confab.yaml:7:13 backends[1].name: found "local", but backends[0] already has that name; names must be unique within backends',
  ],
  [
    'duplicate derived transport names',
    yaml(...TRANSPORTS, '  - plugin: "@confab/transport-console"', ...BACKENDS, ...MATES),
    'confab.yaml:3:5 transports[1]: the name "console", derived from the package, is already used by transports[0]; add a distinct name: to this entry',
  ],
  [
    'unset environment variable (its message names the variable, nothing else)',
    yaml(
      ...TRANSPORTS,
      '    accounts:',
      '      - mate: alice',
      '        token: ${DISCORD_TOKEN}',
      ...BACKENDS,
      ...MATES,
    ),
    'confab.yaml:5:16 transports[0].accounts[0].token: found ${DISCORD_TOKEN}, but the environment variable DISCORD_TOKEN is not set; set it or add it to .env',
  ],
  [
    'unquoted reference inside a flow mapping',
    yaml(
      'transports:',
      '  - { plugin: "@confab/transport-console", prompt: ${PROMPT} }',
      ...BACKENDS,
      ...MATES,
    ),
    [
      'confab.yaml:2:53: invalid YAML: Unexpected flow-map-start at node end; inside [ ] or { }, quote a ${...} reference: "${NAME}"',
      'confab.yaml:2:54: invalid YAML: Unexpected scalar at node end',
    ].join('\n'),
  ],
  [
    '${VAR:-default} used, and the default is wrong',
    yaml(...TRANSPORTS, '    port: ${CONSOLE_PORT:-eighty}', ...BACKENDS, ...MATES),
    'confab.yaml:3:11 transports[0].port: found a string (from ${CONSOLE_PORT:-eighty}), expected a number',
  ],
  [
    '$${ escapes a literal ${',
    yaml(...TRANSPORTS, '    port: $${PORT}', ...BACKENDS, ...MATES),
    'confab.yaml:3:11 transports[0].port: found a string "${PORT}", expected a number',
  ],
  [
    'malformed reference',
    yaml(...TRANSPORTS, '    prompt: "${PROMPT"', ...BACKENDS, ...MATES),
    'confab.yaml:3:13 transports[0].prompt: found "${PROMPT", which is not a variable reference; write ${NAME} or ${NAME:-default}, or $${ for a literal ${',
  ],
  [
    'number coerced from the environment is checked, its value never shown',
    yaml(...TRANSPORTS, '    port: ${PORT}', ...BACKENDS, ...MATES),
    'confab.yaml:3:11 transports[0].port: found a number (from ${PORT}), expected a number <= 65535',
  ],
  [
    'quoted reference stays a string',
    yaml(...TRANSPORTS, '    port: "${TOKEN}"', ...BACKENDS, ...MATES),
    'confab.yaml:3:11 transports[0].port: found a string (from ${TOKEN}), expected a number',
  ],
  [
    'enum value from the environment gets no suggestion (it would hint at the value)',
    yaml(
      ...TRANSPORTS,
      ...BACKENDS,
      'mates:',
      '  - { name: alice, backend: local, profile: small, scope: "${SCOPE}" }',
    ),
    'confab.yaml:8:59 mates[0].scope: found a string (from ${SCOPE}), expected one of: per-user, per-room',
  ],
  [
    'unresolved alias',
    yaml(...BASE, 'log: *defaults'),
    'confab.yaml:9:6 log: found *defaults, but no anchor &defaults is defined before it',
  ],
  [
    'unknown plugin package',
    yaml('transports:', '  - plugin: "@confab/transport-foo"', ...BACKENDS, ...MATES),
    'confab.yaml:2:13 transports[0].plugin: plugin package "@confab/transport-foo" is not installed; install it next to the bot (pnpm add @confab/transport-foo)',
  ],
  [
    'installed package without that plugin subpath',
    yaml('transports:', '  - plugin: "@confab/testkit/no-such-plugin"', ...BACKENDS, ...MATES),
    'confab.yaml:2:13 transports[0].plugin: package "@confab/testkit" is installed but has no plugin at "/no-such-plugin" (it does not export that path); check the plugin name in its README',
  ],
  [
    'module that is not a plugin',
    yaml('transports:', '  - plugin: "@acme/not-a-plugin"', ...BACKENDS, ...MATES),
    'confab.yaml:2:13 transports[0].plugin: "@acme/not-a-plugin" is not a confab plugin: its default export was not made with definePlugin',
  ],
  [
    'plugin whose import throws (message only, no stack)',
    yaml('transports:', '  - plugin: "@acme/transport-broken"', ...BACKENDS, ...MATES),
    'confab.yaml:2:13 transports[0].plugin: plugin "@acme/transport-broken" failed to load: native binding not built for this platform',
  ],
  [
    'plugin kind mismatch',
    yaml('transports:', '  - plugin: "@confab/backend-fake"', ...BACKENDS, ...MATES),
    'confab.yaml:2:13 transports[0].plugin: found a backend plugin ("@confab/backend-fake"), expected a transport plugin',
  ],
  [
    'plugin schema violation, located under the entry',
    yaml(
      ...TRANSPORTS,
      'backends:',
      '  - name: local',
      '    plugin: "@confab/backend-fake"',
      '    profiles:',
      '      small:',
      '        model: ""',
      '        contextSize: -1',
      ...MATES,
    ),
    [
      'confab.yaml:8:16 backends[0].profiles.small.model: found a string "", expected a model file such as ./models/x.gguf',
      'confab.yaml:9:22 backends[0].profiles.small.contextSize: found a number -1, expected a number > 0',
    ].join('\n'),
  ],
  [
    'plugin value that fits no option of a union',
    yaml(...TRANSPORTS, ...BACKENDS, '    keepAlive: soon', ...MATES),
    'confab.yaml:7:16 backends[0].keepAlive: found a string "soon", expected a number or "forever"',
  ],
  [
    'plugin mapping that fits one option of a union but for a key',
    yaml(...TRANSPORTS, '    auth: { user: ada }', ...BACKENDS, ...MATES),
    'confab.yaml:3:11 transports[0].auth.password: missing; expected a string',
  ],
  [
    'unknown keys inside a plugin section',
    yaml(
      ...TRANSPORTS,
      'backends:',
      '  - nmae: local',
      '    plugin: "@confab/backend-fake"',
      '    profiles: { small: { model: a.gguf, contxtSize: 8 } }',
      ...MATES,
    ),
    [
      'confab.yaml:4:5 backends[0].nmae: unknown key; did you mean "name"?',
      'confab.yaml:6:41 backends[0].profiles.small.contxtSize: unknown key; did you mean "contextSize"?',
    ].join('\n'),
  ],
  [
    'unknown key in the built-in scheduler',
    yaml(...BASE, 'scheduler:', '  maxQueu: 3'),
    'confab.yaml:10:3 scheduler.maxQueu: unknown key; did you mean "maxQueue"?',
  ],
  [
    "store plugin section: core keys stay with core, the rest is the plugin's",
    yaml(...BASE, 'store:', '  plugin: "@confab/store-sqlite"', '  path: ./data', '  fil: bot.db'),
    'confab.yaml:12:3 store.fil: unknown key; did you mean "file"?',
  ],
  [
    'mate names that differ only in case (both would answer one message)',
    yaml(...BASE, '  - { name: ALICE, backend: local, profile: large }'),
    'confab.yaml:9:13 mates[1].name: found "ALICE", but mates[0] is named "alice", the same name but for case or character form; names must be unique within mates, ignoring case',
  ],
  [
    'a mate name that is a full-width look-alike',
    yaml(...BASE, '  - { name: "\uFF21lice", backend: local, profile: large }'),
    'confab.yaml:9:13 mates[1].name: found "\uFF21lice", but mates[0] is named "alice", the same name but for case or character form; names must be unique within mates, ignoring case',
  ],
  [
    'backend names that differ only in case',
    yaml(
      ...TRANSPORTS,
      ...BACKENDS,
      '  - { name: LOCAL, plugin: "@confab/backend-fake", profiles: { x: { model: c.gguf } } }',
      ...MATES,
    ),
    'confab.yaml:7:13 backends[1].name: found "LOCAL", but backends[0] is named "local", the same name but for case or character form; names must be unique within backends, ignoring case',
  ],
  [
    'a transport name that matches a derived one but for case',
    yaml(...TRANSPORTS, '  - { name: Console, plugin: "@confab/transport-console" }', ...BACKENDS, ...MATES),
    'confab.yaml:3:13 transports[1].name: found "Console", but transports[0] is named "console", the same name but for case or character form; names must be unique within transports, ignoring case',
  ],
  [
    'backends[].profiles that is a list (reported once, not by core and the plugin both)',
    yaml(
      ...TRANSPORTS,
      'backends:',
      '  - { name: local, plugin: "@confab/backend-fake", profiles: [] }',
      ...MATES,
    ),
    'confab.yaml:4:62 backends[0].profiles: found an empty list, expected a mapping',
  ],
  [
    'backends[].profiles missing (reported once)',
    yaml(...TRANSPORTS, 'backends:', '  - { name: local, plugin: "@confab/backend-fake" }', ...MATES),
    'confab.yaml:4:5 backends[0].profiles: missing; expected a mapping',
  ],
  [
    'a name with a space is still refused',
    yaml(...TRANSPORTS, ...BACKENDS, 'mates:', '  - { name: "al ice", backend: local, profile: small }'),
    'confab.yaml:8:13 mates[0].name: found a string "al ice", expected a name of letters, digits, "_", "." or "-"',
  ],
  [
    'an unset variable repeated in one value is one problem',
    yaml(...TRANSPORTS, `    prompt: "${'${NOPE}'.repeat(2_500)}"`, ...BACKENDS, ...MATES),
    'confab.yaml:3:13 transports[0].prompt: found ${NOPE}, but the environment variable NOPE is not set; set it or add it to .env',
  ],
  [
    'an unset variable used in several places is one problem, naming the others',
    yaml(
      'transports:',
      '  - plugin: "@confab/transport-console"',
      '    prompt: ${NOPE}',
      '    accounts: [{ mate: alice, token: "${NOPE}" }]',
      ...BACKENDS,
      'mates:',
      '  - { name: alice, backend: local, profile: small, system: "${NOPE} ${NOPE}" }',
    ),
    'confab.yaml:3:13 transports[0].prompt: found ${NOPE}, but the environment variable NOPE is not set; set it or add it to .env (also used by transports[0].accounts[0].token and mates[0].system)',
  ],
  [
    'a value with a reference and raw newlines stays on one line, cut short',
    yaml(...TRANSPORTS, `    port: "\${PORT}\\n${'x'.repeat(100)}"`, ...BACKENDS, ...MATES),
    `confab.yaml:3:11 transports[0].port: found a string (from \${PORT}\\n${'x'.repeat(52)}…), expected a number`,
  ],
  [
    'control characters in a value are escaped',
    yaml(...BASE, 'log: { level: "loud\\u001b[2J\\u0085" }'),
    'confab.yaml:9:15 log.level: found a string "loud\\u001b[2J\\u0085", expected one of: trace, debug, info, warn, error, fatal, silent',
  ],
  [
    'plugin check that throws',
    yaml('transports:', '  - plugin: "@acme/transport-grumpy"', ...BACKENDS, ...MATES),
    "confab.yaml:2:5 transports[0]: the plugin's check failed: grumpy: cannot check today",
  ],
];

describe('config issues', () => {
  it('has a large table', () => {
    expect(cases.length).toBeGreaterThanOrEqual(24);
  });

  it.each(cases)('%s', async (_title, text, expected) => {
    expect(await issuesOf(text)).toBe(expected);
  });

  it('never shows the value of an environment variable', async () => {
    const text = yaml(...TRANSPORTS, '    port: ${TOKEN}', '    prompt: ${TOKEN}x', ...BACKENDS, ...MATES);
    const message = await issuesOf(text);
    expect(message).toBe(
      'confab.yaml:3:11 transports[0].port: found a string (from ${TOKEN}), expected a number',
    );
    expect(message).not.toContain(ENV.TOKEN);
  });

  it('reports every problem at once, in file order', async () => {
    const text = yaml(
      'transports:',
      '  - plugin: "@confab/transport-foo"',
      '  - plugin: "@confab/transport-console"',
      '    port: ${MISSING_PORT}',
      'backends:',
      '  - name: local',
      '    plugin: "@confab/backend-fake"',
      '    profiles: { small: { model: a.gguf } }',
      'mates:',
      '  - { name: alice, backend: lcal, profile: small }',
      '  - { name: alice, backend: local, profile: big, scope: room }',
      'engin: {}',
    );
    expect(await issuesOf(text)).toBe(
      [
        'confab.yaml:2:13 transports[0].plugin: plugin package "@confab/transport-foo" is not installed; install it next to the bot (pnpm add @confab/transport-foo)',
        'confab.yaml:4:11 transports[1].port: found ${MISSING_PORT}, but the environment variable MISSING_PORT is not set; set it or add it to .env',
        'confab.yaml:10:29 mates[0].backend: found "lcal", expected the name of a backend (one of: local); did you mean "local"?',
        'confab.yaml:11:13 mates[1].name: found "alice", but mates[0] already has that name; names must be unique within mates',
        'confab.yaml:11:57 mates[1].scope: found a string "room", expected one of: per-user, per-room',
        'confab.yaml:12:1 engin: unknown key; did you mean "engine"?',
      ].join('\n'),
    );
  });

  it('lists the first 50 problems and counts the rest; the issues keep them all', async () => {
    const mates = Array.from(
      { length: 60 },
      (_, i) => `  - { name: m${i}, backend: nowhere, profile: small }`,
    );
    const error = await parseConfig(yaml(...TRANSPORTS, ...BACKENDS, 'mates:', ...mates), 'confab.yaml', {
      importPlugin,
      dotenv: false,
      env: {},
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const { issues, message } = error as ConfigError;
    expect(issues).toHaveLength(60);
    const lines = message.split('\n');
    expect(lines).toHaveLength(51);
    expect(lines[49]).toMatch(/^confab\.yaml:57:\d+ mates\[49\]\.backend: found "nowhere"/);
    expect(lines[50]).toBe('... and 10 more problems');
  });

  it('accepts names of Unicode letters and digits', async () => {
    const text = yaml(
      ...TRANSPORTS,
      'backends:',
      '  - name: İstanbul',
      '    plugin: "@confab/backend-fake"',
      '    profiles: { küçük: { model: a.gguf }, 大: { model: b.gguf } }',
      'mates:',
      '  - { name: İstanbul, backend: İstanbul, profile: küçük, profiles: [大] }',
      '  - { name: Zoë_2, backend: İstanbul, profile: 大 }',
      '  - { name: ٣٤, backend: İstanbul, profile: 大 }',
    );
    const loaded = await parseConfig(text, 'confab.yaml', { importPlugin, dotenv: false, env: {} });
    expect(loaded.config.mates.map((mate) => mate.name)).toEqual(['İstanbul', 'Zoë_2', '٣٤']);
    expect(loaded.backends[0]?.info.name).toBe('İstanbul');
  });

  it('carries the issues as data', async () => {
    const error = await parseConfig(yaml(...BASE, 'lgo: {}'), 'bots/confab.yaml', {
      importPlugin,
      dotenv: false,
      env: {},
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.code).toBe('config.invalid');
    expect(configError.issues).toEqual([
      {
        file: 'bots/confab.yaml',
        line: 9,
        column: 1,
        path: 'lgo',
        message: 'unknown key; did you mean "log"?',
      },
    ]);
  });
});
