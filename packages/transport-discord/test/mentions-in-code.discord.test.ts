import { afterEach, describe, expect, it } from 'vitest';
import { startWorld, type World } from './discord-world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

describe('mentions and code through real discord.js and the emulator', () => {
  it('rewrites mentions outside code to @name and leaves code as written', async () => {
    world = await startWorld();
    const { discord, alice, carol, bots, general, backend } = world;
    const ada = bots.ada!;
    const content = [
      `<@${ada.user.id}> why does \`<@${carol.id}>\` print as an id, and \`\`<@!${ada.user.id}>\`\` too?`,
      '```js',
      `send('<@${carol.id}> <#${general.id}>');`,
      '```',
      `Ask <@${carol.id}> in <#${general.id}>.`,
    ].join('\n');
    const ask = discord.userSays(general.id, alice.id, content);
    await world.reply(general.id, ask.id);

    const expected = [
      `@ada why does \`<@${carol.id}>\` print as an id, and \`\`<@!${ada.user.id}>\`\` too?`,
      '```js',
      `send('<@${carol.id}> <#${general.id}>');`,
      '```',
      'Ask @carol in #general.',
    ].join('\n');
    const received = world.eventsOf('message.received').find((e) => e.message.id === ask.id)?.message;
    expect(received).toMatchObject({ text: expected, mentions: expect.arrayContaining([ada.user.id]) });
    // The model reads it without the leading address, which the router removes.
    expect(backend.calls[0]?.messages.at(-1)?.content).toBe(expected.slice('@ada '.length));
  });

  it('rewrites after an unclosed inline backtick, which Discord shows as text', async () => {
    world = await startWorld();
    const { discord, alice, bots, general } = world;
    const ask = discord.userSays(general.id, alice.id, `a lone \` then <@${bots.ada!.user.id}> hi`);
    await world.waitForEvent('message.received', (e) => e.message.id === ask.id);
    const received = world.eventsOf('message.received').find((e) => e.message.id === ask.id)?.message;
    expect(received?.text).toBe('a lone ` then @ada hi');
  });
});
