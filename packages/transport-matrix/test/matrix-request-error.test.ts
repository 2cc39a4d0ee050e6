import { ConfabError } from '@confab/core';
import { describe, expect, it } from 'vitest';
import { MatrixRequestError, toSafeError } from '../src/matrix-request-error.js';

describe('toSafeError', () => {
  it('keeps what helps and drops the request that carries the access token', () => {
    // The shape matrix-bot-sdk throws for a non-JSON error answer: the raw response.
    const response = {
      statusCode: 502,
      body: '<html>bad gateway</html>',
      request: { headers: { Authorization: 'Bearer syt_secret_token' } },
    };
    const safe = toSafeError(response);
    expect(safe).toBeInstanceOf(MatrixRequestError);
    expect(safe.message).toBe('matrix request failed (HTTP 502)');
    expect(JSON.stringify({ ...safe })).not.toContain('syt_');

    const matrix = toSafeError({ errcode: 'M_FORBIDDEN', error: 'not in room', statusCode: 403, body: {} });
    expect(matrix).toMatchObject({
      errcode: 'M_FORBIDDEN',
      statusCode: 403,
      message: 'matrix request failed (M_FORBIDDEN: not in room)',
    });

    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
      code: 'ECONNREFUSED',
      options: { headers: { Authorization: 'Bearer syt_secret_token' } },
    });
    expect(JSON.stringify({ ...toSafeError(refused) })).not.toContain('syt_');
    expect(toSafeError(refused)).toMatchObject({ code: 'ECONNREFUSED' });

    const mine = new ConfabError('x', 'y');
    expect(toSafeError(mine)).toBe(mine);
  });
});
