import { describe, expect, it } from 'vitest';
import { createMatrixBot } from './helpers/matrix-bot.js';
import { synapseOrSkip } from './helpers/synapse-suite.js';

const synapse = synapseOrSkip('start-errors.synapse');
const mates = [{ name: 'ada', backend: 'scripted', profile: 'default' }];

describe('matrix transport start-up errors', () => {
  it('names an unreachable homeserver and the key to fix', async () => {
    const { bot } = createMatrixBot({
      transport: {
        homeserver: 'http://127.0.0.1:9',
        accounts: [{ mate: 'ada', accessToken: 'syt_never_logged' }],
      },
      mates,
    });
    const error = await bot.start().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(
      /homeserver http:\/\/127\.0\.0\.1:9: cannot reach it \(ECONNREFUSED\); check `homeserver`/,
    );
    expect(error?.message).not.toContain('syt_never_logged');
  });

  it('says which mate has no credentials', async () => {
    const { bot } = createMatrixBot({
      transport: { homeserver: 'http://127.0.0.1:9', accounts: [{ mate: 'ada' }] },
      mates,
    });
    await expect(bot.start()).rejects.toThrow(
      /no credentials for the account of mate 'ada'; set its accessToken or userId and password or run `confab matrix register ada`/,
    );
  });

  it.skipIf(!synapse)('says which account the homeserver refused (real Synapse)', async () => {
    const { bot } = createMatrixBot({
      transport: { homeserver: synapse?.url, accounts: [{ mate: 'ada', accessToken: 'syt_not_a_token' }] },
      mates,
    });
    const error = await bot.start().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(
      /refused the account of mate 'ada' \(M_UNKNOWN_TOKEN\); check its accessToken or password/,
    );
    expect(error?.message).not.toContain('syt_not_a_token');
  });
});
