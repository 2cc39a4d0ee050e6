import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/logging/redact-url.js';

describe('redactUrl', () => {
  it('replaces the user name and password of a URL, keeping the rest as written', () => {
    expect(redactUrl('http://user:s3cret@127.0.0.1:11434')).toBe('http://[redacted]@127.0.0.1:11434');
    expect(redactUrl('https://sk-abc@api.example.com/v1/')).toBe('https://[redacted]@api.example.com/v1/');
    // The authority ends at the last "@" before the path: a password may hold an "@" of its own.
    expect(redactUrl('http://u:p@ss@host/v1?x=a@b')).toBe('http://[redacted]@host/v1?x=a@b');
  });

  it('redacts a user and password written without a scheme, as in a config value', () => {
    expect(redactUrl('bob:s3cret@models.example:8080/v1')).toBe('[redacted]@models.example:8080/v1');
    expect(redactUrl('host is "bob:s3cret@server"')).toBe('host is "[redacted]@server"');
    expect(redactUrl('note: mail a@b.c')).toBe('note: mail a@b.c');
  });

  it('leaves URLs without credentials, and texts without URLs, unchanged', () => {
    expect(redactUrl('http://127.0.0.1:11434')).toBe('http://127.0.0.1:11434');
    expect(redactUrl('http://host/path?to=a@b.c')).toBe('http://host/path?to=a@b.c');
    expect(redactUrl('write to a@b.c')).toBe('write to a@b.c');
  });

  it('redacts every URL inside a longer text, such as an error message', () => {
    expect(
      redactUrl(
        'Request cannot be constructed from a URL that includes credentials: http://u:pw@h:1/api/version',
      ),
    ).toBe(
      'Request cannot be constructed from a URL that includes credentials: http://[redacted]@h:1/api/version',
    );
    expect(redactUrl('from http://a:b@x/ to https://c:d@y/')).toBe(
      'from http://[redacted]@x/ to https://[redacted]@y/',
    );
  });
});
