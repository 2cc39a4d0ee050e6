import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '@confab/core';
import type { ScriptedBackend } from '@confab/testkit';
import { createMatrixBot } from './helpers/matrix-bot.js';
import { MatrixUser, repliesTo, shownText, unique } from './helpers/matrix-user.js';
import { synapseOrSkip } from './helpers/synapse-suite.js';

const synapse = synapseOrSkip('per-mate.synapse');

describe.skipIf(!synapse)('matrix transport, one Matrix user per mate (real Synapse)', () => {
  let alice: MatrixUser;
  let ada: MatrixUser;
  let bob: MatrixUser;
  let bot: Bot;
  let backend: ScriptedBackend;

  beforeAll(async () => {
    if (!synapse) return;
    const id = unique();
    alice = await MatrixUser.register(synapse, `alice-${id}`, { displayName: 'Alice' });
    ada = await MatrixUser.register(synapse, `ada-${id}`);
    bob = await MatrixUser.register(synapse, `bob-${id}`);
    const made = createMatrixBot({
      transport: {
        homeserver: synapse.url,
        accounts: [
          { mate: 'ada', accessToken: ada.accessToken },
          { mate: 'bob', userId: bob.userId, accessToken: bob.accessToken },
        ],
      },
      mates: [
        { name: 'ada', displayName: 'Ada', backend: 'scripted', profile: 'default', scope: 'per-room' },
        { name: 'bob', displayName: 'Bob', backend: 'scripted', profile: 'default' },
      ],
      profiles: { default: { reply: 'You said: {text} ({count})' } },
    });
    bot = made.bot;
    backend = made.backend;
    await bot.start();
  });

  afterAll(async () => {
    await bot?.stop(1000);
  });

  it('sets each mate its display name and reports one identity per mate', async () => {
    const transport = bot.transports.require('matrix');
    expect(transport.identities()).toEqual([
      { mate: 'ada', userId: ada.userId, displayName: 'Ada' },
      { mate: 'bob', userId: bob.userId, displayName: 'Bob' },
    ]);
    const profile = await alice.request<{ displayname: string }>(
      'GET',
      `/_matrix/client/v3/profile/${encodeURIComponent(ada.userId)}`,
    );
    expect(profile.displayname).toBe('Ada');
  });

  it('accepts a DM invite (is_direct) and answers there as a reply, streamed by edits', async () => {
    const room = await alice.createRoom({ invite: [ada.userId], isDirect: true });
    await alice.waitForMembership(room, ada.userId);
    const asked = await alice.sendText(room, 'hello there');
    const answer = await alice.waitFor(
      room,
      (e) => e.sender === ada.userId && repliesTo(e, asked) && shownText(e) === 'You said: hello there (1)',
    );
    expect(answer.content['m.mentions']).toEqual({});
    const call = backend.calls.at(-1);
    expect(call?.messages.at(-1)?.content).toBe('hello there');
  });

  it('answers a mention (m.mentions, pill, display name) in a shared room, and only the mentioned mate', async () => {
    const room = await alice.createRoom({ invite: [ada.userId, bob.userId], name: 'shared' });
    await alice.waitForMembership(room, ada.userId);
    await alice.waitForMembership(room, bob.userId);

    const toAda = await alice.sendText(room, 'Ada: first question', {
      'm.mentions': { user_ids: [ada.userId] },
    });
    await alice.waitFor(room, (e) => e.sender === ada.userId && repliesTo(e, toAda));

    const pill = `<a href="https://matrix.to/#/${bob.userId}">Bob</a> second question`;
    const toBob = await alice.sendText(room, 'Bob second question', {
      format: 'org.matrix.custom.html',
      formatted_body: pill,
    });
    await alice.waitFor(room, (e) => e.sender === bob.userId && repliesTo(e, toBob));

    // A reply to a mate's message, without naming the mate, goes to that mate.
    const adaAnswer = await alice.waitFor(room, (e) => e.sender === ada.userId && repliesTo(e, toAda));
    const followUp = await alice.sendText(room, '> <@ada> earlier\n\nand a follow-up', {
      'm.relates_to': { 'm.in_reply_to': { event_id: adaAnswer.event_id } },
    });
    const followed = await alice.waitFor(room, (e) => e.sender === ada.userId && repliesTo(e, followUp));
    expect(followed.sender).toBe(ada.userId);
    // The quoted fallback is not part of what the mate reads.
    expect(backend.calls.some((c) => c.messages.at(-1)?.content === 'and a follow-up')).toBe(true);

    const unaddressed = await alice.sendText(room, 'just talking to people here');
    const byName = await alice.sendText(room, 'what do you think, Bob?');
    await alice.waitFor(room, (e) => e.sender === bob.userId && repliesTo(e, byName));

    const events = await alice.messages(room);
    expect(events.filter((e) => e.sender === bob.userId && repliesTo(e, toAda))).toEqual([]);
    expect(events.filter((e) => e.sender === ada.userId && repliesTo(e, toBob))).toEqual([]);
    expect(events.filter((e) => repliesTo(e, unaddressed))).toEqual([]);
    expect(events.filter((e) => e.sender === bob.userId && repliesTo(e, followUp))).toEqual([]);
  });

  it('answers inside a thread and reads the thread as history', async () => {
    const room = await alice.createRoom({ invite: [ada.userId, bob.userId] });
    await alice.waitForMembership(room, ada.userId);
    await alice.waitForMembership(room, bob.userId);
    await alice.sendText(room, 'main timeline chatter');
    const root = await alice.sendText(room, 'Ada: thread root', { 'm.mentions': { user_ids: [ada.userId] } });
    await alice.waitFor(room, (e) => e.sender === ada.userId && repliesTo(e, root));

    const inThread = await alice.sendText(room, 'Ada: inside the thread', {
      'm.mentions': { user_ids: [ada.userId] },
      'm.relates_to': {
        rel_type: 'm.thread',
        event_id: root,
        is_falling_back: true,
        'm.in_reply_to': { event_id: root },
      },
    });
    const answer = await alice.waitFor(
      room,
      (e) =>
        e.sender === ada.userId &&
        (e.content['m.relates_to'] as { rel_type?: string } | undefined)?.rel_type === 'm.thread',
    );
    const relation = answer.content['m.relates_to'] as Record<string, unknown>;
    expect(relation.event_id).toBe(root);
    expect(relation['m.in_reply_to']).toEqual({ event_id: inThread });
    expect(relation.is_falling_back).toBe(false);
    // The thread's history is its root and its replies, not the main timeline; every message
    // comes without its address to the mate.
    const seen = backend.calls.at(-1)?.messages.map((m) => m.content) ?? [];
    expect(seen).toEqual(['thread root', 'inside the thread']);
  });

  it('refuses invites from inviters outside the allowlist with a reason', async () => {
    const id = unique();
    const stranger = await MatrixUser.register(synapse as NonNullable<typeof synapse>, `stranger-${id}`);
    const guarded = await MatrixUser.register(synapse as NonNullable<typeof synapse>, `guarded-${id}`);
    const made = createMatrixBot({
      transport: {
        homeserver: synapse?.url,
        accounts: [{ mate: 'ada', accessToken: guarded.accessToken }],
        invites: { allowUsers: [alice.userId], allowServers: [] },
      },
      mates: [{ name: 'ada', backend: 'scripted', profile: 'default' }],
    });
    await made.bot.start();
    try {
      const refused = await stranger.createRoom({ invite: [guarded.userId] });
      const accepted = await alice.createRoom({ invite: [guarded.userId] });
      await alice.waitForMembership(accepted, guarded.userId);
      const deadline = Date.now() + 30_000;
      let member: { membership?: string; reason?: string } = {};
      while (Date.now() < deadline && member.membership !== 'leave') {
        member = await stranger.request(
          'GET',
          `/_matrix/client/v3/rooms/${encodeURIComponent(refused)}/state/m.room.member/${encodeURIComponent(guarded.userId)}`,
        );
        if (member.membership !== 'leave') await new Promise((r) => setTimeout(r, 150));
      }
      expect(member.membership).toBe('leave');
      expect(member.reason).toMatch(/only join rooms when invited by people/);
    } finally {
      await made.bot.stop(1000);
    }
  });

  it('says once that an encrypted room is unsupported when the native crypto module is absent', async () => {
    const room = await alice.createRoom({ invite: [ada.userId], encrypted: true });
    await alice.waitForMembership(room, ada.userId);
    const fake = {
      algorithm: 'm.megolm.v1.aes-sha2',
      ciphertext: 'AAAA',
      sender_key: 'x',
      device_id: 'D',
      session_id: 's',
    };
    await alice.send(room, fake, 'm.room.encrypted');
    await alice.send(room, fake, 'm.room.encrypted');
    await alice.waitFor(room, (e) => e.sender === ada.userId && e.content.msgtype === 'm.notice');
    // A later plain message in another room is answered: the notice path did not stop the transport.
    const dm = await alice.createRoom({ invite: [ada.userId], isDirect: true });
    await alice.waitForMembership(dm, ada.userId);
    const ping = await alice.sendText(dm, 'still there?');
    await alice.waitFor(dm, (e) => e.sender === ada.userId && repliesTo(e, ping));
    const notices = (await alice.messages(room)).filter((e) => e.sender === ada.userId);
    expect(notices).toHaveLength(1);
    expect(String(notices[0]?.content.body)).toMatch(/end-to-end encrypted.*matrix-sdk-crypto-nodejs/s);
  });

  it('leaves a room once everyone else has left', async () => {
    const room = await alice.createRoom({ invite: [ada.userId] });
    await alice.waitForMembership(room, ada.userId);
    await alice.leave(room);
    const deadline = Date.now() + 30_000;
    let rooms: string[] = [room];
    while (Date.now() < deadline && rooms.includes(room)) {
      ({ joined_rooms: rooms } = await ada.request<{ joined_rooms: string[] }>(
        'GET',
        '/_matrix/client/v3/joined_rooms',
      ));
      if (rooms.includes(room)) await new Promise((r) => setTimeout(r, 150));
    }
    expect(rooms).not.toContain(room);
  });
});
