import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DiscordEmulator, Intent } from '../src/discord-emulator/index.js';

let discord: DiscordEmulator | undefined;
afterEach(async () => {
  await discord?.stop();
  discord = undefined;
});

interface GatewayFrame {
  op: number;
  t?: string;
  s?: number;
  d?: Record<string, unknown> | null;
}

/** A raw gateway client: every frame it got, and a way to wait for one. */
function connect(url: string) {
  const ws = new WebSocket(`${url}?v=10&encoding=json`);
  const frames: GatewayFrame[] = [];
  const waiters: (() => void)[] = [];
  let closed: number | undefined;
  ws.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as GatewayFrame);
    for (const w of waiters.splice(0)) w();
  });
  ws.on('close', (code) => {
    closed = code;
    for (const w of waiters.splice(0)) w();
  });
  const next = (match: (f: GatewayFrame) => boolean): Promise<GatewayFrame> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching frame')), 5000);
      const check = () => {
        const found = frames.find(match);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        } else waiters.push(check);
      };
      check();
    });
  const closedWith = (): Promise<number> =>
    new Promise((resolve) => {
      const check = () => (closed !== undefined ? resolve(closed) : waiters.push(check));
      check();
    });
  const send = (payload: unknown) => ws.send(JSON.stringify(payload));
  return { ws, frames, next, send, closedWith };
}

const ALL = Intent.Guilds | Intent.GuildMessages | Intent.DirectMessages | Intent.MessageContent;

describe('DiscordEmulator REST', () => {
  it('authenticates bots, enforces 2,000 characters and per-route buckets with 429 retry_after', async () => {
    discord = await DiscordEmulator.start({ rateLimits: { messageCreate: { limit: 2, windowMs: 60_000 } } });
    const ada = discord.addBot('ada');
    const alice = discord.addUser('alice');
    const guild = discord.addGuild('g', { members: [alice.id, ada.user.id] });
    const channel = discord.addChannel(guild.id, 'general');
    const api = `${discord.apiUrl}/v10`;
    const post = (content: string, token = ada.token) =>
      fetch(`${api}/channels/${channel.id}/messages`, {
        method: 'POST',
        headers: { Authorization: `Bot ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ content }),
      });

    expect((await fetch(`${api}/gateway/bot`)).status).toBe(401);
    const gateway = (await (
      await fetch(`${api}/gateway/bot`, { headers: { Authorization: `Bot ${ada.token}` } })
    ).json()) as Record<string, unknown>;
    expect(gateway).toMatchObject({ url: discord.gatewayUrl, session_start_limit: { max_concurrency: 1 } });

    const tooLong = await post('x'.repeat(2001));
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { code: number }).code).toBe(50035);

    const first = await post('x'.repeat(2000));
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(first.headers.get('x-ratelimit-reset-after'))).toBeGreaterThan(0);
    const over = await post('again');
    expect(over.status).toBe(429);
    const body = (await over.json()) as { retry_after: number; global: boolean };
    expect(body.retry_after).toBeGreaterThan(0);
    expect(body.global).toBe(false);
    expect(discord.overLimitRequests).toBe(1);
    expect(discord.channelMessages(channel.id).map((m) => m.content.length)).toEqual([2000]);
  });

  it('answers injected 429s without spending the bucket', async () => {
    discord = await DiscordEmulator.start();
    const ada = discord.addBot('ada');
    discord.injectRateLimit({ method: 'GET', path: /^\/users\/@me$/, times: 1, retryAfterMs: 300 });
    const me = () =>
      fetch(`${discord!.apiUrl}/v10/users/@me`, { headers: { Authorization: `Bot ${ada.token}` } });
    const limited = await me();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('0.300');
    expect((await me()).status).toBe(200);
    expect(discord.requests.map((r) => [r.status, r.injected, r.overLimit])).toEqual([
      [429, true, false],
      [200, false, false],
    ]);
  });
});

describe('DiscordEmulator gateway', () => {
  it('says HELLO, answers IDENTIFY with READY and GUILD_CREATE, acks heartbeats and dispatches messages', async () => {
    discord = await DiscordEmulator.start();
    const ada = discord.addBot('ada');
    const alice = discord.addUser('alice');
    const guild = discord.addGuild('g', { members: [alice.id, ada.user.id] });
    const channel = discord.addChannel(guild.id, 'general');
    const client = connect(discord.gatewayUrl);
    expect((await client.next((f) => f.op === 10)).d).toMatchObject({ heartbeat_interval: 41_250 });
    client.send({ op: 1, d: null });
    await client.next((f) => f.op === 11);
    client.send({ op: 2, d: { token: ada.token, intents: ALL, properties: {} } });
    const ready = await client.next((f) => f.t === 'READY');
    expect(ready.d).toMatchObject({ user: { id: ada.user.id, bot: true }, guilds: [{ id: guild.id }] });
    const created = await client.next((f) => f.t === 'GUILD_CREATE');
    expect(created.d).toMatchObject({ id: guild.id, channels: [{ id: channel.id, type: 0 }] });

    const message = discord.userSays(channel.id, alice.id, 'hello');
    const dispatched = await client.next((f) => f.t === 'MESSAGE_CREATE');
    expect(dispatched.d).toMatchObject({
      id: message.id,
      channel_id: channel.id,
      guild_id: guild.id,
      channel_type: 0,
      content: 'hello',
      author: { id: alice.id, username: 'alice' },
    });
    client.ws.close();
  });

  it('blanks guild content without MessageContent unless mentioned, and closes 4014 for a disallowed intent', async () => {
    discord = await DiscordEmulator.start();
    const ada = discord.addBot('ada');
    const quiet = discord.addBot('quiet', { messageContentIntent: false });
    const alice = discord.addUser('alice');
    const guild = discord.addGuild('g', { members: [alice.id, ada.user.id] });
    const channel = discord.addChannel(guild.id, 'general');

    const refused = connect(discord.gatewayUrl);
    await refused.next((f) => f.op === 10);
    refused.send({ op: 2, d: { token: quiet.token, intents: ALL } });
    expect(await refused.closedWith()).toBe(4014);
    const bad = connect(discord.gatewayUrl);
    await bad.next((f) => f.op === 10);
    bad.send({ op: 2, d: { token: 'nope', intents: ALL } });
    expect(await bad.closedWith()).toBe(4004);

    const client = connect(discord.gatewayUrl);
    await client.next((f) => f.op === 10);
    client.send({ op: 2, d: { token: ada.token, intents: ALL & ~Intent.MessageContent } });
    await client.next((f) => f.t === 'GUILD_CREATE');
    discord.userSays(channel.id, alice.id, 'secret');
    discord.userSays(channel.id, alice.id, `<@${ada.user.id}> visible`);
    await client.next((f) => f.t === 'MESSAGE_CREATE' && f.d?.content !== '');
    expect(client.frames.filter((f) => f.t === 'MESSAGE_CREATE').map((f) => f.d?.content)).toEqual([
      '',
      `<@${ada.user.id}> visible`,
    ]);
    client.ws.close();
  });

  it('replays what a session missed on RESUME after a 4000 close', async () => {
    discord = await DiscordEmulator.start();
    const ada = discord.addBot('ada');
    const alice = discord.addUser('alice');
    const dm = discord.dm(alice.id, ada.user.id);
    const first = connect(discord.gatewayUrl);
    await first.next((f) => f.op === 10);
    first.send({ op: 2, d: { token: ada.token, intents: ALL } });
    const ready = await first.next((f) => f.t === 'READY');
    discord.userSays(dm.id, alice.id, 'one');
    const one = await first.next((f) => f.t === 'MESSAGE_CREATE');

    discord.disconnect(ada.user.id, 4000);
    expect(await first.closedWith()).toBe(4000);
    const missed = discord.userSays(dm.id, alice.id, 'two');
    const second = connect(discord.gatewayUrl);
    await second.next((f) => f.op === 10);
    second.send({ op: 6, d: { token: ada.token, session_id: ready.d?.session_id, seq: one.s } });
    const replayed = await second.next((f) => f.t === 'MESSAGE_CREATE');
    expect(replayed.d).toMatchObject({ id: missed.id, content: 'two', channel_type: 1 });
    await second.next((f) => f.t === 'RESUMED');
    expect(discord.handshakes).toEqual({ identify: 1, resume: 1 });
    second.ws.close();
  });
});
