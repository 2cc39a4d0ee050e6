import { describe, expect, it } from 'vitest';
import { mateSchema } from '../../src/config/schema.js';
import { Router } from '../../src/engine/router.js';
import type { ChatMessage } from '../../src/messages/chat-message.js';

const mates = ['ada', 'bob'].map((name) =>
  mateSchema.parse({ name, backend: 'b', profile: 'p', triggers: { keywords: ['deploy'] } }),
);
const identities = [
  { mate: 'ada', userId: 'u-ada', displayName: 'ada' },
  { mate: 'bob', userId: 'u-bob', displayName: 'bob' },
];

function message(overrides: Partial<ChatMessage>): ChatMessage {
  return {
    id: 'm1',
    platform: 'test',
    transport: 't',
    roomId: 'r',
    isDirect: false,
    sender: { id: 'u-alice', name: 'alice', isBot: false },
    text: '',
    mentions: [],
    timestamp: 1,
    ...overrides,
  };
}

describe('Router with a message audience', () => {
  const router = new Router(mates);
  const names = (m: ChatMessage) => router.route(m, { identities }).map((mate) => mate.name);

  it('routes every way only to the mates in the audience', () => {
    const text = 'bob: @ada please deploy';
    expect(names(message({ text, mentions: ['u-ada', 'u-bob'] }))).toEqual(['bob', 'ada']);
    expect(names(message({ text, mentions: ['u-ada', 'u-bob'], audience: ['ada'] }))).toEqual(['ada']);
    expect(names(message({ text: 'deploy now', audience: ['bob'] }))).toEqual(['bob']);
    expect(
      names(message({ text: 'hi', replyTo: { messageId: 'x', senderId: 'u-ada' }, audience: [] })),
    ).toEqual([]);
  });

  it('changes nothing without an audience', () => {
    expect(names(message({ text: 'deploy now' }))).toEqual(['ada', 'bob']);
  });
});
