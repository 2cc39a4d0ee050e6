import { describe, expect, it } from 'vitest';
import { describeConnectionError } from '../src/connection-error.js';
import { hasUrlCredentials } from '../src/url-redaction.js';

describe('hasUrlCredentials', () => {
  it('says whether a URL carries a user name or a password', () => {
    expect(hasUrlCredentials('http://user:pw@127.0.0.1:11434')).toBe(true);
    expect(hasUrlCredentials('http://user@127.0.0.1:11434')).toBe(true);
    expect(hasUrlCredentials('http://:pw@127.0.0.1:11434')).toBe(true);
    expect(hasUrlCredentials('http://127.0.0.1:11434/?to=a@b')).toBe(false);
    expect(hasUrlCredentials('not a url')).toBe(false);
  });
});

describe('describeConnectionError', () => {
  it("never shows the password of the URL Node's fetch refused", async () => {
    const error = await fetch('http://user:s3cret@127.0.0.1:1/api/version').catch((e: unknown) => e);
    const description = describeConnectionError(error);
    expect(description).toContain('http://[redacted]@127.0.0.1:1/api/version');
    expect(description).not.toContain('s3cret');
  });
});
