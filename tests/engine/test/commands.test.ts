import { describe, expect, it } from 'vitest';
import { startBot, twoMates } from './helpers.js';

const last = (t: { botMessages(): { text: string }[] }) => t.botMessages().at(-1)?.text;

describe('commands', () => {
  it('!help is generated from the registered commands with their arguments', async () => {
    const { transport } = await startBot();
    await transport.inject({ text: '!help' });
    const help = last(transport) ?? '';
    expect(help.split('\n')[0]).toBe('Commands:');
    for (const line of [
      '!help [command] — List the commands, or explain one.',
      '!stop — Silence the mates in this room and cancel what they are writing. (room admins)',
      '!save <name> [mate] — Save this conversation under a name, to return to with rollback (shared in the room).',
      "!mate <name> — Choose the room's default mate. (room admins)",
    ]) {
      expect(help.split('\n')).toContain(line);
    }
    await transport.inject({ text: '!help rollback' });
    expect(last(transport)).toBe(
      '!rollback <name> — Return to a saved point: the mate forgets what came after it.',
    );
  });

  it('an unknown command gets a suggestion; bad arguments get the usage line', async () => {
    const { transport } = await startBot();
    await transport.inject({ text: '!rset' });
    expect(last(transport)).toBe('Unknown command !rset. Did you mean !reset? (!help lists them all)');
    await transport.inject({ text: '!xyzzy' });
    expect(last(transport)).toBe('Unknown command !xyzzy. !help lists the commands.');
    await transport.inject({ text: '!save' });
    expect(last(transport)).toBe('missing name. Usage: !save <name> [mate]');
    await transport.inject({ text: '!status now please' });
    expect(last(transport)).toBe('too many arguments. Usage: !status');
  });

  it('room-wide commands need a room admin, except in a DM', async () => {
    const { transport } = await startBot({ transport: { admins: ['u:admin'] } });
    await transport.inject({ text: '!stop', from: 'u:alice' });
    expect(last(transport)).toBe('Only room admins can use !stop here.');
    await transport.inject({ text: '!stop', from: 'u:alice', isDirect: true, roomId: 'dm' });
    expect(last(transport)).toMatch(/^⏹️ The mates are silent in this room until !start/);
  });

  it('configured admins may run room-wide commands anywhere; the prefix is configurable', async () => {
    const { transport } = await startBot({ config: { commands: { prefix: '?', admins: ['u:boss'] } } });
    await transport.inject({ text: '?stop', from: 'u:boss' });
    expect(last(transport)).toMatch(/^⏹️/);
    await transport.inject({ text: '!stop', from: 'u:boss' });
    expect(transport.botMessages()).toHaveLength(1);
  });

  it('!mates and !mate choose the room default used in DMs', async () => {
    const { transport, backend } = await startBot({ config: { mates: twoMates } });
    await transport.inject({ text: '!mate bob', isDirect: true, roomId: 'dm' });
    expect(last(transport)).toBe("bob is now this room's default mate.");
    await transport.inject({ text: '!mates', isDirect: true, roomId: 'dm' });
    expect(last(transport)).toBe(
      'Mates:\nada — scripted/default, per-user\nbob (default here) — scripted/default, per-user',
    );
    await transport.inject({ text: 'hello', isDirect: true, roomId: 'dm' });
    expect(backend.calls.at(-1)?.system).toBe('You are Bob.');
  });

  it('!profile switches among the profiles the mate allows', async () => {
    const { transport, backend } = await startBot({
      config: { mates: [{ name: 'ada', backend: 'scripted', profile: 'small', profiles: ['large'] }] },
      profiles: { small: { reply: 'small' }, large: { reply: 'large' }, secret: {} },
    });
    await transport.inject({ text: '!profile huge' });
    expect(last(transport)).toBe('ada cannot use profile "huge". Allowed: small, large.');
    await transport.inject({ text: '!profile secret' });
    expect(last(transport)).toBe('ada cannot use profile "secret". Allowed: small, large.');
    await transport.inject({ text: '!profile large' });
    await transport.inject({ text: '@ada hi' });
    expect(backend.calls.at(-1)?.profile).toBe('large');
    await transport.inject({ text: '@ada hi', from: 'u:other' });
    expect(backend.calls.at(-1)?.profile).toBe('small');
  });

  it("!status shows queue depth, workers and the asker's position", async () => {
    const { transport } = await startBot({ profiles: { default: { workers: 2, parallel: 3 } } });
    await transport.inject({ text: '!status' });
    expect(last(transport)).toBe(
      'scripted/default: 0 running, 0 waiting, 2/2 workers alive\nYou have nothing waiting.',
    );
  });

  it('commands are not run twice when their event is replayed', async () => {
    const { transport } = await startBot();
    const message = await transport.inject({ text: '!mates' });
    await transport.replay(message);
    expect(transport.botMessages()).toHaveLength(1);
  });
});
