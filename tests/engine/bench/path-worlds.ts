import { type Bot, MemoryStore, type Transport } from '@confab/core';
import {
  createTestBot,
  type RecordedHttpRequest,
  type ScriptedBackend,
  type SynapseInfo,
  startHttpRecorder,
} from '@confab/testkit';
import { DiscordEmulator, type RecordedRequest } from '@confab/testkit/discord-emulator';
import discordTransportPlugin from '@confab/transport-discord';
import matrixTransportPlugin, { registerWithSharedSecret } from '@confab/transport-matrix';
import type { PlatformRequest } from './path-turns.js';

/** A platform with one mate, `ada`, and people each in a room of their own with it. */
export interface PathWorld {
  readonly name: string;
  readonly bot: Bot;
  readonly backend: ScriptedBackend;
  readonly transport: Transport;
  /** Each person's room, as the transport names it (`ChatMessage.roomId`). */
  readonly rooms: readonly string[];
  /** Person `user` says `text` in their room, to the mate. */
  say(user: number, text: string): Promise<void>;
  /** The requests the bot made to the platform so far. */
  requests(): PlatformRequest[];
  stop(): Promise<void>;
}

/** What both worlds take. */
export interface WorldOptions {
  readonly users: number;
  /** The scripted backend's profiles (`default` is the mate's). */
  readonly profiles: Record<string, unknown>;
}

/** discord.js through confab's Discord transport against the testkit's emulator, Discord's rate limits. */
export async function startDiscordWorld(options: WorldOptions): Promise<PathWorld> {
  const discord = await DiscordEmulator.start();
  const ada = discord.addBot('ada');
  const people = Array.from({ length: options.users }, (_, i) => discord.addUser(`person${i}`));
  const guild = discord.addGuild('bench', { members: [...people.map((p) => p.id), ada.user.id] });
  const channels = people.map((_, i) => discord.addChannel(guild.id, `talk-${i}`));
  const { bot, backend, transport } = createTestBot({
    transportPlugin: discordTransportPlugin,
    transport: { accounts: [{ mate: 'ada', token: ada.token }], apiUrl: discord.apiUrl },
    profiles: options.profiles,
    store: new MemoryStore(),
  });
  try {
    await bot.start();
  } catch (error) {
    await discord.stop();
    throw error;
  }
  return {
    name: 'discord',
    bot,
    backend,
    transport,
    rooms: channels.map((c) => c.id),
    async say(user, text) {
      discord.userSays(channels[user]?.id as string, people[user]?.id as string, `<@${ada.user.id}> ${text}`);
    },
    requests: () => discord.requests.filter((r) => r.botId === ada.user.id).map(discordRequest),
    async stop() {
      await bot.stop(1000);
      await discord.stop();
    },
  };
}

/** Discord REST routes (after `/api/v10`) by what they are for. */
function discordRequest(request: RecordedRequest): PlatformRequest {
  const { method, path, at } = request;
  const room = /^\/channels\/(\d+)\//.exec(path)?.[1];
  const route = `${method} ${path.replace(/\d{15,}/g, ':id')}`;
  const kind =
    route === 'POST /channels/:id/messages'
      ? 'reply'
      : route === 'PATCH /channels/:id/messages/:id'
        ? 'edit'
        : route === 'POST /channels/:id/typing'
          ? 'typing'
          : route === 'GET /channels/:id/messages'
            ? 'history'
            : 'other';
  return { kind, route, at, ...(room ? { room } : {}) };
}

/**
 * confab's Matrix transport (matrix-bot-sdk) against a real Synapse, through a recording proxy so
 * its requests can be counted without touching the client. People speak the plain client-server
 * API, straight to Synapse; each invites the mate to a direct room.
 */
export async function startMatrixWorld(
  options: WorldOptions & { readonly synapse: SynapseInfo; readonly id: string },
): Promise<PathWorld> {
  const { synapse, id } = options;
  const register = (name: string) =>
    registerWithSharedSecret({
      homeserver: synapse.url,
      sharedSecret: synapse.sharedSecret,
      username: `${name}-${id}`,
      password: `pw-${name}-${id}`,
    });
  const ada = await register('ada');
  const people = await Promise.all(Array.from({ length: options.users }, (_, i) => register(`person${i}`)));
  const recorder = await startHttpRecorder(synapse.url);
  const { bot, backend, transport } = createTestBot({
    transportPlugin: matrixTransportPlugin,
    // A shorter long poll than the default only makes stopping quicker; events come as they happen.
    transport: {
      homeserver: recorder.url,
      accounts: [{ mate: 'ada', accessToken: ada.accessToken }],
      syncTimeoutMs: 5000,
    },
    profiles: options.profiles,
    store: new MemoryStore(),
  });
  const stop = async () => {
    await bot.stop(1000);
    await recorder.close();
  };
  try {
    await bot.start();
    const rooms = await Promise.all(
      people.map(async (person) => {
        const { room_id } = await matrix<{ room_id: string }>(
          synapse.url,
          person.accessToken,
          'POST',
          '/createRoom',
          {
            preset: 'private_chat',
            invite: [ada.userId],
            is_direct: true,
          },
        );
        await joined(synapse.url, person.accessToken, room_id, ada.userId);
        return room_id;
      }),
    );
    let txn = 0;
    return {
      name: 'matrix',
      bot,
      backend,
      transport,
      rooms,
      async say(user, text) {
        const room = encodeURIComponent(rooms[user] as string);
        await matrix(
          synapse.url,
          people[user]?.accessToken as string,
          'PUT',
          `/rooms/${room}/send/m.room.message/b${txn++}`,
          {
            msgtype: 'm.text',
            body: text,
          },
        );
      },
      requests: () => recorder.requests.map(matrixRequest),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A client-server API call (`/_matrix/client/v3` + `path`) as a person. */
async function matrix<T>(
  homeserver: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${homeserver}/_matrix/client/v3${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Waits (bounded) until `userId` has joined the room. */
async function joined(homeserver: string, token: string, roomId: string, userId: string): Promise<void> {
  const path = `/rooms/${encodeURIComponent(roomId)}/joined_members`;
  for (let i = 0; i < 200; i++) {
    const { joined } = await matrix<{ joined: Record<string, unknown> }>(homeserver, token, 'GET', path);
    if (userId in joined) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${userId} did not join ${roomId} within 20 s`);
}

/** Client-server API requests by what they are for; an edit is a message with `m.new_content`. */
function matrixRequest(request: RecordedHttpRequest): PlatformRequest {
  const { method, body, at } = request;
  const path = request.url.split('?')[0] as string;
  const inRoom = /\/rooms\/([^/]+)\/([^/]+)/.exec(path);
  const room = inRoom ? decodeURIComponent(inRoom[1] as string) : undefined;
  const what = inRoom?.[2];
  const route = inRoom
    ? `${method} /rooms/:room/${what}`
    : `${method} ${path.replace(/^\/_matrix\/client\/[^/]+/, '').replace(/[@!$][^/]+/g, ':id')}`;
  const kind =
    method === 'PUT' && what === 'send'
      ? body.includes('"m.new_content"')
        ? 'edit'
        : 'reply'
      : what === 'typing'
        ? 'typing'
        : what === 'messages' || what === 'relations' || what === 'context'
          ? 'history'
          : room
            ? 'other'
            : path.endsWith('/sync')
              ? 'background'
              : 'other';
  return { kind, route, at, ...(room ? { room } : {}) };
}
