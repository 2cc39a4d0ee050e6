import { MemoryTransport } from '@confab/testkit';
import { describe, expect, it } from 'vitest';
import { startBot, twoMates } from './helpers.js';

describe('routing', () => {
  const cases: { name: string; message: Parameters<MemoryTransport['inject']>[0]; mates: string[] }[] = [
    {
      name: 'platform mention',
      message: { text: 'hello there', mentions: [MemoryTransport.botId('bob')] },
      mates: ['bob'],
    },
    { name: '@name in the text', message: { text: 'what do you think @ada?' }, mates: ['ada'] },
    { name: 'receiver prefix "name:"', message: { text: 'bob: tell me' }, mates: ['bob'] },
    { name: 'receiver prefix is case-insensitive', message: { text: 'ADA, tell me' }, mates: ['ada'] },
    { name: 'keyword', message: { text: 'hey bobby, you there' }, mates: ['bob'] },
    { name: 'keyword needs a word boundary', message: { text: 'bobbyfication' }, mates: [] },
    { name: 'a longer name with a hyphen is someone else', message: { text: 'ask @bob-human' }, mates: [] },
    {
      name: 'names inside code are not calls',
      message: { text: 'run `@ada --help` then\n```\nbobby()\n```' },
      mates: [],
    },
    {
      name: 'several mates in one message',
      message: { text: '@ada and @bob both answer' },
      mates: ['ada', 'bob'],
    },
    { name: 'not addressed in a room', message: { text: 'just chatting' }, mates: [] },
    {
      name: 'direct message through a mate identity',
      message: { text: 'hi', isDirect: true, roomId: 'dm-bob', receivedBy: MemoryTransport.botId('bob') },
      mates: ['bob'],
    },
    {
      name: 'direct message without identity: first mate',
      message: { text: 'hi', isDirect: true, roomId: 'dm' },
      mates: ['ada'],
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const { transport, backend } = await startBot({ config: { mates: twoMates } });
      await transport.inject(c.message);
      const answered = transport.botMessages().map((m) => m.mate);
      expect(answered.sort()).toEqual([...c.mates].sort());
      expect(backend.calls).toHaveLength(c.mates.length);
    });
  }

  it('addresses mates with non-ASCII names by mention, prefix and keyword, as whole words', async () => {
    const { transport, backend } = await startBot({
      config: {
        mates: [
          { name: 'Zoë', backend: 'scripted', profile: 'default', system: 'You are Zoë.' },
          {
            name: 'İlkay',
            backend: 'scripted',
            profile: 'default',
            system: 'You are İlkay.',
            triggers: { keywords: ['çay'] },
          },
        ],
      },
    });
    const routed = async (text: string) => {
      const before = backend.calls.length;
      await transport.inject({ text });
      return backend.calls.slice(before).map((c) => c.system);
    };
    expect(await routed('@Zoë hi')).toEqual(['You are Zoë.']);
    expect(await routed('what do you say, @Zoë?')).toEqual(['You are Zoë.']);
    expect(await routed('İlkay: hello')).toEqual(['You are İlkay.']);
    expect(await routed('@Zoëlle is someone else')).toEqual([]);
    expect(await routed('bir çay lütfen')).toEqual(['You are İlkay.']);
    expect(await routed('çaylar bitti')).toEqual([]);
  });

  it('a reply to a mate goes to that mate', async () => {
    const { transport } = await startBot({ config: { mates: twoMates } });
    await transport.inject({ text: '@bob first' });
    const bobMessage = transport.botMessages()[0];
    await transport.inject({ text: 'and a follow-up', replyTo: bobMessage?.id });
    expect(transport.botMessages().map((m) => m.mate)).toEqual(['bob', 'bob']);
  });

  it('the receiver prefix is stripped from what the model sees', async () => {
    const { transport, backend } = await startBot({ config: { mates: twoMates } });
    await transport.inject({ text: 'ada: what is 2+2?' });
    expect(backend.calls[0]?.messages.at(-1)?.content).toBe('what is 2+2?');
    expect(backend.calls[0]?.system).toBe('You are Ada.');
  });

  it('own echoes and other bots are ignored by default', async () => {
    const { transport } = await startBot({ config: { mates: twoMates } });
    await transport.inject({ text: '@ada hi' });
    await transport.inject({ text: '@ada I am a bot', from: 'bot:other', isBot: true });
    // The echo of ada's reply came back through the transport and was dropped.
    expect(transport.botMessages()).toHaveLength(1);
    expect(transport.handlerErrors).toEqual([]);
  });

  it('triggers can be turned off per mate', async () => {
    const mates = [{ ...twoMates[0], triggers: { mention: false, direct: false } }];
    const { transport } = await startBot({ config: { mates } });
    await transport.inject({ text: '@ada hi' });
    await transport.inject({ text: 'hi', isDirect: true, roomId: 'dm' });
    expect(transport.botMessages()).toHaveLength(0);
  });
});
