import { describe, expect, it } from 'vitest';
import scriptedBackendPlugin from '../src/scripted-backend/plugin.js';
import { createTestBot } from '../src/test-bot.js';

describe('createTestBot with a backend plugin', () => {
  it('wires the given plugin with its own section, named after the package, for the default mate', async () => {
    const { bot, transport, backend } = createTestBot({
      backendPlugin: scriptedBackendPlugin,
      backend: { profiles: { default: { reply: 'from the plugin: {text}' } } },
    });
    expect(backend.name).toBe('scripted-backend');
    await bot.start();
    try {
      await transport.inject({ text: 'hi', roomId: 'dm', isDirect: true });
      const [reply] = await transport.waitForBotMessages(1, 'dm');
      expect(reply?.text).toBe('from the plugin: hi');
    } finally {
      await bot.stop();
    }
  });
});
