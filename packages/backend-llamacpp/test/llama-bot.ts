import type { Bot } from '@confab/core';
import { createTestBot, type MemoryTransport } from '@confab/testkit';
import type { LlamaCppBackend } from '../src/llamacpp-backend.js';
import plugin from '../src/plugin.js';

/** A bot wired from the memory transport and this backend (as `local`), without a config file. */
export function llamaBot(section: Record<string, unknown>, core: Record<string, unknown> = {}) {
  const { bot, transport, backend } = createTestBot<MemoryTransport, LlamaCppBackend>({
    backendPlugin: plugin,
    backendName: 'local',
    backend: section,
    config: core,
  });
  return { bot, transport, backend };
}

/** Texts of the replies the bot finished, by job, in the order they finished. */
export function finishedReplies(bot: Bot): { conversation: string; text: string }[] {
  const replies: { conversation: string; text: string }[] = [];
  bot.events.on('reply.sent', (event) =>
    replies.push({ conversation: event.conversation, text: event.text }),
  );
  return replies;
}
