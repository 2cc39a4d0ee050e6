import { createTestBot } from '@confab/testkit';
import {
  type OllamaServer,
  ollamaPeerAvailable,
  startOllama,
  startTcpRecorder,
} from '@confab/testkit/ollama';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import openaiPlugin from '../src/plugin.js';

const MODEL = 'confab-random';

describe.skipIf(!ollamaPeerAvailable())("a bot on Ollama's /v1: !stop while a mate is writing", () => {
  let server: OllamaServer;

  beforeAll(async () => {
    server = await startOllama({ numParallel: 1 });
    await server.createTinyModel(MODEL, 'random');
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('cancels the reply in progress and closes its HTTP stream', async () => {
    // The reply is held back after its first events, so it is surely still running at !stop.
    const recorder = await startTcpRecorder(server.port, {
      hold: { when: '"content":"talk"', marker: '\n\n', count: 3 },
    });
    const { bot, transport } = createTestBot({
      backendPlugin: openaiPlugin,
      backend: {
        baseURL: `${recorder.url}/v1`,
        profiles: { default: { model: `${MODEL}:latest`, options: { temperature: 0, max_tokens: 100_000 } } },
      },
      config: { commands: { admins: ['user:alice'] } },
    });
    await bot.start();
    try {
      // Not awaited: delivering a message lasts until its reply is done.
      const talk = transport.inject({ text: 'talk', roomId: 'dm', isDirect: true, from: 'user:alice' });
      // The mate has started writing: its first words are in the room.
      await transport.waitFor(() => transport.botMessages('dm').some((m) => m.text.length > 0), 30_000);
      const chat = recorder.connections.find((connection) => connection.sent().includes('"content":"talk"'));
      expect(chat).toBeDefined();

      await transport.inject({ text: '!stop', roomId: 'dm', isDirect: true, from: 'user:alice' });
      await chat?.closed;
      expect(chat?.closedBy()).toBe('client');
      await transport.waitFor(
        () => transport.botMessages('dm').some((m) => m.text.includes('cancelled 1 reply')),
        30_000,
      );
      await talk;
    } finally {
      await bot.stop();
      await recorder.close();
    }
  });
});
