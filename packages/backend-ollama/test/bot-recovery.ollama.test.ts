import { failureNotice } from '@confab/core';
import { createTestBot } from '@confab/testkit';
import { type OllamaServer, ollamaPeerAvailable, startOllama } from '@confab/testkit/ollama';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ollamaPlugin from '../src/plugin.js';

const MODEL = 'confab-structured';

describe.skipIf(!ollamaPeerAvailable())('a bot on Ollama whose server goes away', () => {
  let server: OllamaServer;

  beforeAll(async () => {
    server = await startOllama({ numParallel: 1 });
    await server.createTinyModel(MODEL, 'structured');
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('answers, tells each user once that the server is unavailable, and answers again once it is back', async () => {
    const { bot, transport } = createTestBot({
      backendPlugin: ollamaPlugin,
      backend: {
        host: server.host,
        retry: { initialDelayMs: 50, maxDelayMs: 200 },
        profiles: { default: { model: MODEL, options: { temperature: 0, num_predict: 16, num_thread: 1 } } },
      },
    });
    await bot.start();
    try {
      const ask = async (text: string, roomId: string) => {
        const before = transport.botMessages(roomId).length;
        await transport.inject({ text, roomId, isDirect: true, from: `user:${roomId}` });
        const replies = await transport.waitForBotMessages(before + 1, roomId, 30_000);
        return replies.at(-1)?.text;
      };
      expect(await ask('hello', 'dm-1')).toBe('OK.');

      await server.kill();
      const notice = failureNotice('unavailable');
      expect(await ask('are you there?', 'dm-1')).toBe(notice);
      expect(await ask('hello?', 'dm-2')).toBe(notice);
      // One line per message, nothing more (no retries echoed into the chat).
      expect(transport.botMessages('dm-2').map((m) => m.text)).toEqual([notice]);

      await server.restart();
      const deadline = Date.now() + 60_000;
      let reply = await ask('back?', 'dm-3');
      for (let n = 0; reply !== 'OK.' && Date.now() < deadline; n++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        reply = await ask(`back ${n}?`, 'dm-3');
      }
      expect(reply).toBe('OK.');
      expect(await ask('hello again', 'dm-1')).toBe('OK.');
    } finally {
      await bot.stop();
    }
  });
});
