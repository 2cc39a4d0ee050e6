import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '@confab/core';
import type { ScriptedBackend } from '@confab/testkit';
import { createMatrixBot } from './helpers/matrix-bot.js';
import { MatrixUser, repliesTo, unique } from './helpers/matrix-user.js';
import { synapseOrSkip } from './helpers/synapse-suite.js';

const synapse = synapseOrSkip('mentions.synapse');

describe.skipIf(!synapse)('matrix transport, which text is a mention (real Synapse)', () => {
  let alice: MatrixUser;
  let bobHuman: MatrixUser;
  let ada: MatrixUser;
  let bob: MatrixUser;
  let bot: Bot;
  let backend: ScriptedBackend;

  const asked = (text: string) => backend.calls.some((c) => c.messages.at(-1)?.content === text);

  beforeAll(async () => {
    if (!synapse) return;
    const id = unique();
    alice = await MatrixUser.register(synapse, `alice-${id}`, { displayName: 'Alice' });
    bobHuman = await MatrixUser.register(synapse, `bob-human-${id}`, { displayName: 'bob-human' });
    ada = await MatrixUser.register(synapse, `ada-${id}`);
    bob = await MatrixUser.register(synapse, `bob-${id}`);
    const made = createMatrixBot({
      transport: {
        homeserver: synapse.url,
        accounts: [
          { mate: 'ada', accessToken: ada.accessToken },
          { mate: 'bob', accessToken: bob.accessToken },
        ],
      },
      mates: [
        { name: 'ada', displayName: 'Ada', backend: 'scripted', profile: 'default' },
        { name: 'bob', displayName: 'Bob', backend: 'scripted', profile: 'default' },
      ],
      profiles: { default: { reply: 'You said: {text}' } },
    });
    bot = made.bot;
    backend = made.backend;
    await bot.start();
  });

  afterAll(async () => {
    await bot?.stop(1000);
  });

  it('takes a display name as a mention only as a whole word', async () => {
    const room = await alice.createRoom({ invite: [ada.userId, bob.userId, bobHuman.userId] });
    await bobHuman.join(room);
    await alice.waitForMembership(room, ada.userId);
    await alice.waitForMembership(room, bob.userId);

    const hello = await bobHuman.sendText(room, 'hi all, bob-human here');
    const cat = await alice.sendText(room, 'my bobcat says hi');
    const byName = await alice.sendText(room, 'hi Bob');
    await alice.waitFor(room, (e) => e.sender === bob.userId && repliesTo(e, byName));

    const events = await alice.messages(room);
    expect(events.filter((e) => repliesTo(e, hello) || repliesTo(e, cat))).toEqual([]);
    expect(asked('hi all, bob-human here')).toBe(false);
    expect(asked('my bobcat says hi')).toBe(false);
  });

  it('never addresses a mate that is not in the room', async () => {
    const room = await alice.createRoom({ invite: [ada.userId, bobHuman.userId] });
    await bobHuman.join(room);
    await alice.waitForMembership(room, ada.userId);

    const toBob = await alice.sendText(room, 'hi Bob, are you there?');
    const atBob = await alice.sendText(room, 'and @bob?', { 'm.mentions': { user_ids: [bob.userId] } });
    const toAda = await alice.sendText(room, 'and you, Ada?');
    await alice.waitFor(room, (e) => e.sender === ada.userId && repliesTo(e, toAda));

    const events = await alice.messages(room);
    expect(events.filter((e) => repliesTo(e, toBob) || repliesTo(e, atBob))).toEqual([]);
    expect(asked('and @bob?')).toBe(false);
    expect(asked('hi Bob, are you there?')).toBe(false);
  });

  it('leaves code as written and takes no mention from it', async () => {
    const room = await alice.createRoom({ invite: [ada.userId, bob.userId, bobHuman.userId] });
    await bobHuman.join(room);
    await alice.waitForMembership(room, ada.userId);
    await alice.waitForMembership(room, bob.userId);

    const code = 'what does `Bob <@123>` mean in\n```\nBob: hi\n```';
    const body = `Ada: ${code}`;
    const html =
      `<a href="https://matrix.to/#/${ada.userId}">Ada</a>: what does <code>Bob &lt;@123&gt;</code> mean in` +
      `<pre><code>Bob: <a href="https://matrix.to/#/${bob.userId}">Bob</a>\n</code></pre>`;
    const question = await alice.sendText(room, body, {
      format: 'org.matrix.custom.html',
      formatted_body: html,
    });
    const later = await alice.sendText(room, 'Bob, one more');
    await alice.waitFor(room, (e) => e.sender === ada.userId && repliesTo(e, question));
    await alice.waitFor(room, (e) => e.sender === bob.userId && repliesTo(e, later));

    // The model reads the code as written (the leading address is the router's to remove).
    expect(asked(code)).toBe(true);
    const events = await alice.messages(room);
    expect(events.filter((e) => e.sender === bob.userId && repliesTo(e, question))).toEqual([]);
  });
});
