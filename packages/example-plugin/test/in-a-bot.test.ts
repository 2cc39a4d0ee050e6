import { Bot, MemoryStore, type PluginImporter, parseConfig } from '@confab/core';
import { MemoryTransport } from '@confab/testkit';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * The plugin inside a real bot: config validation by its own schema, registration, the engine,
 * the scheduler, and the testkit's in-memory transport standing in for a chat platform.
 */
const CONFIG = `
transports:
  - name: chat
    plugin: '@confab/testkit/memory-transport'
backends:
  - name: loud
    plugin: '@confab/example-plugin'
    profiles:
      default: {}
      polite: { suffix: ', please.' }
mates:
  - name: shouty
    backend: loud
    profile: default
store:
  path: ':memory:'
`;

// The bot imports plugins by package name; here the names map to this package's source and the
// testkit, so the test runs without building.
const importPlugin: PluginImporter = async (specifier) => {
  if (specifier === '@confab/example-plugin') return import('../src/index.js');
  if (specifier === '@confab/testkit/memory-transport') return import('@confab/testkit/memory-transport');
  throw Object.assign(new Error(`Cannot find package '${specifier}'`), { code: 'ERR_MODULE_NOT_FOUND' });
};

const bots: Bot[] = [];
afterEach(async () => {
  await Promise.all(bots.splice(0).map((bot) => bot.stop(100)));
});

async function startBot(text: string): Promise<{ bot: Bot; chat: MemoryTransport }> {
  const loaded = await parseConfig(text, 'confab.yaml', { importPlugin, env: {}, dotenv: false });
  const bot = Bot.create(loaded, { store: new MemoryStore() });
  bots.push(bot);
  await bot.start();
  return { bot, chat: bot.transports.require('chat') as MemoryTransport };
}

describe('the example plugin in a bot', () => {
  it('answers a direct message through the engine', async () => {
    const { chat } = await startBot(CONFIG);
    await chat.inject({
      text: 'hello there',
      isDirect: true,
      roomId: 'dm',
      receivedBy: MemoryTransport.botId('shouty'),
    });
    const [reply] = await chat.waitForBotMessages(1);
    expect(reply?.mate).toBe('shouty');
    expect(reply?.text).toBe('HELLO THERE!');
  });

  it('reports a typo in its section with file, line and path', async () => {
    const typo = CONFIG.replace("polite: { suffix: ', please.' }", "polite: { sufix: ', please.' }");
    await expect(parseConfig(typo, 'confab.yaml', { importPlugin, env: {}, dotenv: false })).rejects.toThrow(
      /^confab\.yaml:10:17 backends\[0\]\.profiles\.polite\.sufix: unknown key; did you mean "suffix"\?$/,
    );
  });
});
