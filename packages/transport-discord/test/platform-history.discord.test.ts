import { type ChatMessage, MemoryStore, PlatformHistory } from '@confab/core';
import { createTestBot } from '@confab/testkit';
import { DiscordEmulator, type EmulatedChannel } from '@confab/testkit/discord-emulator';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DiscordTransport } from '../src/discord-transport.js';
import discordTransportPlugin from '../src/plugin.js';

/**
 * The transport alone (no engine) feeding a PlatformHistory, as the engine does: every delivered
 * message is observed, and history is read through it. Discord is the emulator, the client the
 * real discord.js.
 */
async function startTransport() {
  const discord = await DiscordEmulator.start();
  const alice = discord.addUser('alice', { globalName: 'Alice' });
  const ada = discord.addBot('ada');
  const guild = discord.addGuild('confab', { owner: alice.id, members: [alice.id, ada.user.id] });
  const general = discord.addChannel(guild.id, 'general');
  const random = discord.addChannel(guild.id, 'random');
  // The transport keeps the mates' identities in the bot's store, which the bot would open.
  const store = new MemoryStore();
  await store.open();
  const { bot } = createTestBot({
    transportPlugin: discordTransportPlugin,
    transport: {
      accounts: [{ mate: 'ada', token: ada.token }],
      apiUrl: discord.apiUrl,
      readyTimeoutMs: 10_000,
    },
    store,
  });
  const transport = bot.transports.require('discord') as unknown as DiscordTransport;
  const history = new PlatformHistory();
  const delivered: ChatMessage[] = [];
  await transport.start(async (message) => {
    history.observe(message);
    delivered.push(message);
  });
  /** A person says something and the transport delivers it. */
  const says = async (channel: EmulatedChannel, text: string): Promise<ChatMessage> => {
    const sent = discord.userSays(channel.id, alice.id, text);
    return vi.waitFor(
      () => {
        const found = delivered.find((m) => m.id === sent.id);
        if (!found) throw new Error(`"${text}" not delivered yet`);
        return found;
      },
      { timeout: 5000 },
    );
  };
  const historyReads = (channel: EmulatedChannel) =>
    discord.requests.filter((r) => r.method === 'GET' && r.path === `/channels/${channel.id}/messages`)
      .length;
  const read = (message: ChatMessage) => history.read(transport, message, { limit: 20 });
  const stop = async () => {
    await transport.stop();
    await discord.stop();
    await store.close();
  };
  return { discord, alice, ada, general, random, transport, history, says, historyReads, read, stop };
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe('platform history through real discord.js and the emulator', () => {
  it('reads a channel from Discord once, then answers from the messages delivered', async () => {
    const world = await startTransport();
    ({ stop } = world);
    const { discord, alice, ada, general, transport, says, historyReads, read } = world;
    const now = Date.now();
    discord.userSays(general.id, alice.id, 'before the start', { at: now - 60_000, dispatch: false });

    const first = await says(general, 'first');
    expect((await read(first)).map((m) => m.text)).toEqual(['before the start', 'first']);
    expect(historyReads(general)).toBe(1);

    // The mate's own reply comes back as MESSAGE_CREATE, its edit as an update that changes nothing.
    const epoch = transport.historyEpoch(first);
    const target = {
      transport: 'discord',
      roomId: general.id,
      isDirect: false,
      mate: 'ada',
      replyTo: first.id,
    };
    const reply = await transport.send(target, 'partial');
    await transport.edit(target, reply.id, 'partial, then complete');
    const second = await says(general, 'second');
    const warm = await read(second);
    expect(historyReads(general)).toBe(1);
    expect(warm.map((m) => [m.sender.id, m.text])).toEqual([
      [alice.id, 'before the start'],
      [alice.id, 'first'],
      [ada.user.id, 'partial'],
      [alice.id, 'second'],
    ]);
    expect(transport.historyEpoch(second)).toBe(epoch);

    // Apart from the mate's text (the engine records its final text), what Discord would return.
    const fromDiscord = await transport.fetchHistory(second, { limit: 20 });
    expect(fromDiscord.map((m) => m.id)).toEqual(warm.map((m) => m.id));
    expect(fromDiscord.filter((m) => m.id !== reply.id)).toEqual(
      warm.filter((m) => m.id !== reply.id).map((m) => expect.objectContaining({ id: m.id, text: m.text })),
    );
  });

  it('reads Discord again after a new gateway session, not after a resume', async () => {
    const world = await startTransport();
    ({ stop } = world);
    const { discord, ada, general, transport, says, historyReads, read } = world;
    await read(await says(general, 'one'));
    expect(historyReads(general)).toBe(1);

    discord.disconnect(ada.user.id, 4000);
    await discord.until(
      'the resume',
      () => discord.handshakes.resume === 1 && discord.connections(ada.user.id) === 1,
    );
    await read(await says(general, 'two'));
    expect(historyReads(general)).toBe(1);

    const before = transport.historyEpoch({ transport: 'discord', roomId: general.id, isDirect: false });
    discord.disconnect(ada.user.id, 1000);
    await discord.until(
      'a new session',
      () => discord.handshakes.identify === 2 && discord.connections(ada.user.id) === 1,
    );
    await vi.waitFor(() =>
      expect(transport.historyEpoch({ transport: 'discord', roomId: general.id, isDirect: false })).not.toBe(
        before,
      ),
    );
    const three = await says(general, 'three');
    expect((await read(three)).map((m) => m.text)).toEqual(['one', 'two', 'three']);
    expect(historyReads(general)).toBe(2);
  });

  it('reads a channel again after someone edits or deletes a message there, and only that channel', async () => {
    const world = await startTransport();
    ({ stop } = world);
    const { discord, general, random, says, historyReads, read } = world;
    const one = await says(general, 'one');
    await read(one);
    await read(await says(random, 'elsewhere'));
    expect([historyReads(general), historyReads(random)]).toEqual([1, 1]);

    discord.userEdits(one.id, 'one, edited');
    await vi.waitFor(async () => {
      expect((await read(one)).map((m) => m.text)).toEqual(['one, edited']);
    });
    expect(historyReads(general)).toBe(2);

    const two = await says(general, 'two');
    discord.deleteMessage(two.id);
    await vi.waitFor(async () => {
      expect((await read(one)).map((m) => m.text)).toEqual(['one, edited']);
    });
    expect(historyReads(general)).toBe(3);

    await read(await says(random, 'still warm'));
    expect(historyReads(random)).toBe(1);
  });
});
