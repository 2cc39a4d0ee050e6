// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about ${VAR} references in config text.
import { describe, expect, it } from 'vitest';
import { definePlugin, type PluginImporter, parseConfig, z } from '../../src/index.js';
import { importPlugin } from './fixtures.js';

const openaiLike = definePlugin({
  name: '@acme/backend-openai',
  kind: 'backend',
  configSchema: z
    .object({
      baseUrl: z.string(),
      apiKey: z.string().optional(),
      headers: z.record(z.string()).default({}),
      profiles: z.record(z.object({ model: z.string() }).strict()),
    })
    .strict(),
  register() {},
});

const withOpenai: PluginImporter = async (specifier) =>
  specifier === '@acme/backend-openai' ? { default: openaiLike } : importPlugin(specifier);

const CONFIG = `transports:
  - plugin: "@confab/transport-console"
    prompt: "\${PROMPT}"
    accounts:
      - mate: alice
        token: \${T}
      - mate: bob
        token: short
backends:
  - name: remote
    plugin: "@acme/backend-openai"
    baseUrl: http://\${HOST}:8080/v1
    apiKey: sk-written-in-the-file
    headers:
      X-Extra: "Bearer \${EXTRA_API_KEY}"
    profiles:
      small:
        model: tiny
mates:
  - name: alice
    backend: remote
    profile: small
  - name: bob
    backend: remote
    profile: small
`;

describe('LoadedConfig.secrets', () => {
  it('holds values under secret keys and of secret-named variables, and nothing else', async () => {
    const env = {
      T: 'discord-token-from-env',
      EXTRA_API_KEY: 'extra-key-from-env',
      HOST: 'localhost-from-env',
      PROMPT: 'a prompt from the environment',
    };
    const loaded = await parseConfig(CONFIG, 'confab.yaml', { importPlugin: withOpenai, env, dotenv: false });
    expect([...(loaded.secrets ?? [])].sort()).toEqual([
      'discord-token-from-env',
      'extra-key-from-env',
      'sk-written-in-the-file',
    ]);
  });
});
