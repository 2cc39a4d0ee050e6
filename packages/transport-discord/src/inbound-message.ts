import { type ChatMessage, outsideCode } from '@confab/core';
import type { Message } from 'discord.js';

/** What translating a discord.js message needs besides the message. */
export interface TranslationContext {
  /** Transport instance name. */
  readonly transport: string;
  /** Bot user id of the client that received the message. */
  readonly receivedBy: string;
  /** The mate name behind a bot user id, when it is one of ours. */
  readonly mateOf: (userId: string) => string | undefined;
  /** Mate user ids that may not be addressed here (allowlists); left out of `mentions`. */
  readonly excluded?: ReadonlySet<string>;
  /** Mates that may answer here (connected and allowed), reported as `audience`. */
  readonly audience?: readonly string[];
}

/**
 * A discord.js message as confab's {@link ChatMessage}: a thread is its own conversation under
 * its parent channel, `<@id>` mentions become `@name` (a mate's mention becomes `@mate`, so
 * `@ada hi` addresses ada as on every platform), and the replied-to author is kept for routing.
 */
export function toChatMessage(message: Message, context: TranslationContext): ChatMessage {
  const channel = message.channel;
  const thread = channel.isThread() ? channel : undefined;
  const isDirect = message.guildId === null;
  const mentions = [...message.mentions.users.keys()].filter((id) => !context.excluded?.has(id));
  const repliedTo = message.reference?.messageId;
  const repliedUser = message.mentions.repliedUser?.id;
  // discord.js keeps the referenced message when Discord sends it along (it does for replies).
  const repliedText = repliedTo ? message.channel.messages.cache.get(repliedTo)?.content : undefined;
  return {
    id: message.id,
    platform: 'discord',
    transport: context.transport,
    roomId: thread?.parentId ?? message.channelId,
    ...(thread ? { threadId: thread.id } : {}),
    isDirect,
    sender: {
      id: message.author.id,
      name: message.member?.displayName ?? message.author.displayName,
      isBot: message.author.bot,
    },
    text: plainText(message, context),
    mentions,
    ...(repliedTo
      ? {
          replyTo: {
            messageId: repliedTo,
            ...(repliedUser ? { senderId: repliedUser } : {}),
            ...(repliedText !== undefined ? { text: repliedText } : {}),
          },
        }
      : {}),
    timestamp: message.createdTimestamp,
    receivedBy: context.receivedBy,
    ...(context.audience ? { audience: context.audience } : {}),
  };
}

// Markup inside code is what the person wrote about (an id, an example), not a mention.
function plainText(message: Message, context: TranslationContext): string {
  return outsideCode(message.content, (prose) => rewriteMentions(prose, message, context));
}

function rewriteMentions(text: string, message: Message, context: TranslationContext): string {
  return text
    .replace(/<@!?(\d+)>/g, (markup, id: string) => {
      const mate = context.mateOf(id);
      // A mate that may not speak here is named without "@", so the text does not address it.
      if (mate) return context.excluded?.has(id) ? mate : `@${mate}`;
      const user = message.mentions.users.get(id);
      return user ? `@${user.displayName}` : markup;
    })
    .replace(/<#(\d+)>/g, (markup, id: string) => {
      const channel = message.mentions.channels.get(id);
      return channel && 'name' in channel && channel.name ? `#${channel.name}` : markup;
    });
}
