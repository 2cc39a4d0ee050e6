import { MemoryStore, StoreNamespaces } from '@confab/core';
import { describe, expect, it } from 'vitest';
import { identityKey } from '../src/stored-identity.js';
import { createMatrixBot } from './helpers/matrix-bot.js';
import { MatrixUser, repliesTo, shownText, unique } from './helpers/matrix-user.js';
import { synapseOrSkip } from './helpers/synapse-suite.js';

const synapse = synapseOrSkip('shared-bot.synapse');

describe.skipIf(!synapse)('matrix transport, one Matrix user hosting several mates (real Synapse)', () => {
  it('logs in by password once, hosts ada and bob, picks them by mention or !mate', async () => {
    const s = synapse as NonNullable<typeof synapse>;
    const id = unique();
    const password = `secret-${id}`;
    const alice = await MatrixUser.register(s, `alice-sb-${id}`);
    const host = await MatrixUser.register(s, `confab-${id}`, { password });
    const store = new MemoryStore();
    const options = {
      transport: { homeserver: s.url, bot: { userId: host.userId, password } },
      mates: [
        { name: 'ada', displayName: 'Ada', backend: 'scripted', profile: 'default' },
        { name: 'bob', displayName: 'Bob', backend: 'scripted', profile: 'default' },
      ],
      store,
    };
    const devices = async () =>
      (await host.request<{ devices: unknown[] }>('GET', '/_matrix/client/v3/devices')).devices.length;
    const before = await devices();

    const first = createMatrixBot(options);
    await first.bot.start();
    let room: string;
    try {
      expect(first.transport.identities()).toEqual([
        { mate: 'ada', userId: host.userId, displayName: 'Ada' },
        { mate: 'bob', userId: host.userId, displayName: 'Bob' },
      ]);
      room = await alice.createRoom({ invite: [host.userId], isDirect: true });
      await alice.waitForMembership(room, host.userId);
      const hello = await alice.sendText(room, 'hello');
      const byAda = await alice.waitFor(
        room,
        (e) => e.sender === host.userId && repliesTo(e, hello) && shownText(e) === '**Ada**: You said: hello',
      );
      expect((byAda.content as { formatted_body?: string }).formatted_body ?? '').toContain(
        '<strong>Ada</strong>',
      );

      const choose = await alice.sendText(room, '!mate bob');
      await alice.waitFor(room, (e) => e.sender === host.userId && repliesTo(e, choose));
      const again = await alice.sendText(room, 'again');
      await alice.waitFor(
        room,
        (e) => e.sender === host.userId && repliesTo(e, again) && shownText(e) === '**Bob**: You said: again',
      );
    } finally {
      await first.bot.stop(1000);
    }
    await store.open();
    const stored = await store.get<{ userId: string }>(
      StoreNamespaces.identities,
      identityKey('matrix', '@bot'),
    );
    await store.close();
    expect(stored?.userId).toBe(host.userId);
    expect(await devices()).toBe(before + 1);

    // Restarted on the same store: the kept token is used, no second login (device).
    const second = createMatrixBot(options);
    await second.bot.start();
    try {
      const shared = await alice.createRoom({ invite: [host.userId] });
      await alice.waitForMembership(shared, host.userId);
      const ask = await alice.sendText(shared, '@ada what now?');
      await alice.waitFor(
        shared,
        (e) =>
          e.sender === host.userId && repliesTo(e, ask) && shownText(e) === '**Ada**: You said: what now?',
      );
    } finally {
      await second.bot.stop(1000);
    }
    expect(await devices()).toBe(before + 1);
  });
});
