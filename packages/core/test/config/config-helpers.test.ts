// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${VAR} references in config text.
import { describe, expect, it } from 'vitest';
import { formatConfigIssue } from '../../src/config/config-error.js';
import { formatPath, parsePath } from '../../src/config/config-path.js';
import { describeValue } from '../../src/config/describe-value.js';
import { expandEnv } from '../../src/config/env-expand.js';
import { closestMatch, editDistance } from '../../src/config/suggest.js';
import { defaultInstanceName } from '../../src/index.js';

describe('expandEnv', () => {
  const env = { A: 'x', EMPTY: '' };

  it('expands references, defaults and escapes', () => {
    expect(expandEnv('${A}-${B:-b}-${EMPTY:-e}-$${A}', env)).toEqual({
      value: 'x-b-e-${A}',
      substituted: true,
      missing: [],
      malformed: [],
      used: [{ name: 'A', value: 'x' }],
    });
  });

  it('reports unset variables and malformed references', () => {
    expect(expandEnv('${NOPE} ${1X} ${A:?no} ${OPEN', env)).toMatchObject({
      missing: ['NOPE'],
      malformed: ['${1X}', '${A:?no}', '${OPEN'],
    });
  });

  it('does not count escapes as substitution, and does not expand twice', () => {
    expect(expandEnv('$${A}', env).substituted).toBe(false);
    expect(expandEnv('${R}', { R: '${A}' }).value).toBe('${A}');
  });
});

describe('describeValue', () => {
  it('never shows the password of a URL, with or without a scheme', () => {
    for (const url of ['http://bob:s3cret@127.0.0.1:11434', 'bob:s3cret@models.example:8080/v1']) {
      const shown = describeValue(url);
      expect(shown).not.toContain('s3cret');
      expect(shown).toContain('[redacted]@');
    }
    expect(describeValue('http://127.0.0.1:11434')).toBe('a string "http://127.0.0.1:11434"');
  });
});

describe('suggestions', () => {
  it('measures edits, counting a swap as one', () => {
    expect(editDistance('backend', 'backned')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests only close candidates', () => {
    expect(closestMatch('locl', ['local', 'remote'])).toBe('local');
    expect(closestMatch('Mates', ['mates'])).toBe('mates');
    expect(closestMatch('colour', ['level'])).toBeUndefined();
  });
});

describe('defaultInstanceName', () => {
  it.each([
    ['@confab/transport-console', 'console'],
    ['@acme/confab-transport-irc', 'irc'],
    ['confab-backend-vllm', 'vllm'],
    ['@confab/commands-dice', 'dice'],
    ['@confab/store-sqlite/embedded', 'sqlite'],
    ['./plugins/my-bot.js', 'my-bot'],
    ['./plugins/größe bot.js', 'größe-bot'],
    ['@confab/transport-', 'transport-'],
  ])('%s → %s', (specifier, name) => {
    expect(defaultInstanceName(specifier)).toBe(name);
  });
});

describe('config paths', () => {
  it('formats and parses paths', () => {
    const path = ['backends', 0, 'profiles', 'v1.5', 'model'];
    expect(formatPath(path)).toBe('backends[0].profiles["v1.5"].model');
    expect(parsePath(formatPath(path))).toEqual(path);
    expect(parsePath('profiles.small.minP')).toEqual(['profiles', 'small', 'minP']);
    const unicode = ['backends', 0, 'profiles', 'küçük', 'model'];
    expect(formatPath(unicode)).toBe('backends[0].profiles.küçük.model');
    expect(parsePath(formatPath(unicode))).toEqual(unicode);
  });
});

describe('formatConfigIssue', () => {
  it('keeps one problem on one line, escaping what a plugin put in its message', () => {
    const issue = {
      file: 'c.yaml',
      line: 2,
      column: 3,
      path: 'a',
      message: 'one\ntwo\u001b[31m\u2028\u202e',
    };
    expect(formatConfigIssue(issue)).toBe('c.yaml:2:3 a: one\\ntwo\\u001b[31m\\u2028\\u202e');
  });
});
