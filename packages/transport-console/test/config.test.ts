import { ConfigError, definePlugin, parseConfig, z } from '@confab/core';
import { describe, expect, it } from 'vitest';
import consoleTransportPlugin from '../src/plugin.js';

/** A config with the console transport, whose section gets `extra`; the backend is only a name. */
const config = (extra: string): string => `transports:
  - plugin: "@confab/transport-console"
${extra}
backends:
  - name: local
    plugin: "@confab/backend-none"
    profiles: { small: {} }
mates:
  - { name: helper, backend: local, profile: small }
  - { name: Zoë, backend: local, profile: small }
`;

const backendPlugin = definePlugin({
  name: '@confab/backend-none',
  kind: 'backend',
  configSchema: z.object({ profiles: z.record(z.unknown()) }),
  register() {},
});

async function check(text: string) {
  return parseConfig(text, 'confab.yaml', {
    dotenv: false,
    env: {},
    importPlugin: async (specifier) => ({
      default: specifier === '@confab/transport-console' ? consoleTransportPlugin : backendPlugin,
    }),
  });
}

describe('the console section', () => {
  it('accepts a default mate that is configured', async () => {
    const loaded = await check(config('    mate: Zoë'));
    expect(loaded.transports[0]?.config).toMatchObject({ mate: 'Zoë' });
  });

  it('locates a default mate that is not configured, as core locates every reference', async () => {
    const error = await check(config('    mate: nobody')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      'confab.yaml:3:11 transports[0].mate: found "nobody", expected the name of a mate (one of: helper, Zoë)',
    );
  });
});
