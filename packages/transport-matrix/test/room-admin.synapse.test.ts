import { describe, expect, it } from 'vitest';
import { createMatrixBot } from './helpers/matrix-bot.js';
import { MatrixUser, repliesTo, shownText, unique } from './helpers/matrix-user.js';
import { synapseOrSkip } from './helpers/synapse-suite.js';

const synapse = synapseOrSkip('room-admin.synapse');
const STOPPED = /The mates are silent in this room/;
const REFUSED = 'Only room admins can use !stop here.';

/** A room of the given version created by `creator`, the bot invited and `member` joined. */
async function roomOf(
  creator: MatrixUser,
  version: string,
  bot: MatrixUser,
  member: MatrixUser,
): Promise<string> {
  const { room_id: room } = await creator.request<{ room_id: string }>(
    'POST',
    '/_matrix/client/v3/createRoom',
    {
      preset: 'private_chat',
      room_version: version,
      invite: [bot.userId, member.userId],
    },
  );
  await member.join(room);
  await creator.waitForMembership(room, bot.userId);
  return room;
}

describe.skipIf(!synapse)('matrix room admins (real Synapse)', () => {
  async function setup(version: string) {
    const s = synapse as NonNullable<typeof synapse>;
    const id = unique();
    const alice = await MatrixUser.register(s, `alice-admin-${id}`);
    const carol = await MatrixUser.register(s, `carol-admin-${id}`);
    const ada = await MatrixUser.register(s, `ada-admin-${id}`);
    const { bot } = createMatrixBot({
      transport: { homeserver: s.url, accounts: [{ mate: 'ada', accessToken: ada.accessToken }] },
      mates: [{ name: 'ada', backend: 'scripted', profile: 'default' }],
    });
    await bot.start();
    const room = await roomOf(alice, version, ada, carol);
    return { alice, carol, ada, bot, room };
  }

  /** The bot's answer to a `!stop` sent by `who`. */
  async function stopBy(who: MatrixUser, ada: MatrixUser, room: string): Promise<string> {
    const sent = await who.sendText(room, '!stop');
    return shownText(await who.waitFor(room, (e) => e.sender === ada.userId && repliesTo(e, sent)));
  }

  it('lets the creator of a version 12 room, who is not in the power levels, stop the mates', async () => {
    const { alice, carol, ada, bot, room } = await setup('12');
    try {
      const levels = await alice.request<{ users?: Record<string, number> }>(
        'GET',
        `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/state/m.room.power_levels/`,
      );
      expect(levels.users?.[alice.userId]).toBeUndefined();
      expect(await stopBy(carol, ada, room)).toBe(REFUSED);
      expect(await stopBy(alice, ada, room)).toMatch(STOPPED);
    } finally {
      await bot.stop(1000);
    }
  });

  it('keeps the power level rule in a version 11 room', async () => {
    const { alice, carol, ada, bot, room } = await setup('11');
    try {
      expect(await stopBy(carol, ada, room)).toBe(REFUSED);
      expect(await stopBy(alice, ada, room)).toMatch(STOPPED);
    } finally {
      await bot.stop(1000);
    }
  });
});
