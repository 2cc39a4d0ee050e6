import { describe, expect, it } from 'vitest';
import { matrixTransportConfigSchema } from '../src/config.js';
import { matrixRetryAfterMs } from '../src/rate-limit.js';

describe('matrix transport config', () => {
  it('takes per-mate accounts with defaults', () => {
    const config = matrixTransportConfigSchema.parse({
      homeserver: 'https://matrix.example.org',
      accounts: [{ mate: 'ada', accessToken: 't' }],
    });
    expect(config).toMatchObject({
      editIntervalMs: 800,
      leaveEmptyRooms: true,
      typing: true,
      syncTimeoutMs: 30_000,
    });
    expect(config.invites.allowUsers).toEqual([]);
  });

  it('wants exactly one of accounts and bot, and a user id with a password', () => {
    const neither = matrixTransportConfigSchema.safeParse({ homeserver: 'https://m.org' });
    expect(neither.error?.issues[0]?.message).toMatch(/exactly one of `accounts`.*or `bot`/);
    const both = matrixTransportConfigSchema.safeParse({
      homeserver: 'https://m.org',
      accounts: [{ mate: 'ada', accessToken: 't' }],
      bot: { accessToken: 't' },
    });
    expect(both.success).toBe(false);
    const noUser = matrixTransportConfigSchema.safeParse({
      homeserver: 'https://m.org',
      bot: { password: 'p' },
    });
    expect(noUser.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['bot.userId', 'a user id is needed to log in with a password'],
    ]);
    const unknownKey = matrixTransportConfigSchema.safeParse({
      homeserver: 'https://m.org',
      bot: {},
      autojoin: true,
    });
    expect(unknownKey.error?.issues[0]?.code).toBe('unrecognized_keys');
  });

  it('reads the wait of M_LIMIT_EXCEEDED only', () => {
    expect(matrixRetryAfterMs({ errcode: 'M_LIMIT_EXCEEDED', retryAfterMs: 1234 })).toBe(1234);
    expect(matrixRetryAfterMs({ errcode: 'M_LIMIT_EXCEEDED', body: { retry_after_ms: 50 } })).toBe(50);
    expect(matrixRetryAfterMs({ errcode: 'M_FORBIDDEN', retryAfterMs: 10 })).toBeUndefined();
    expect(matrixRetryAfterMs(new Error('x'))).toBeUndefined();
  });
});
