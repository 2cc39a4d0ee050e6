import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbStore } from '@confab/store-lmdb';
import { createTestBot } from '@confab/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { startBot } from './helpers.js';

describe('exactly one answer per event', () => {
  it('a replayed event (reconnect) is not answered twice', async () => {
    const { transport, backend } = await startBot();
    const message = await transport.inject({ text: '@ada hi' });
    await transport.replay(message);
    await transport.replay(message);
    expect(backend.calls).toHaveLength(1);
    expect(transport.botMessages()).toHaveLength(1);
  });

  it('events delivered concurrently twice are answered once', async () => {
    const { transport, backend } = await startBot();
    const message = await transport.inject({ text: '@ada hi', id: 'dup-1' });
    await Promise.all([transport.replay(message), transport.replay({ ...message })]);
    expect(backend.calls).toHaveLength(1);
  });

  const dir = mkdtempSync(join(tmpdir(), 'confab-restart-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('after a restart on the on-disk store, old events are not answered and room state persists', async () => {
    const admins = { admins: ['u:admin'] };
    const first = createTestBot({ store: new LmdbStore({ path: dir }), transport: admins });
    await first.bot.start();
    const old = await first.transport.inject({ text: '@ada before restart' });
    await first.transport.inject({ text: '!stop', from: 'u:admin' });
    expect(first.backend.calls).toHaveLength(1);
    await first.bot.stop(100);

    const second = createTestBot({ store: new LmdbStore({ path: dir }), transport: admins });
    await second.bot.start();
    try {
      await second.transport.replay(old);
      await second.transport.inject({ text: '@ada are you there?' });
      expect(second.backend.calls).toHaveLength(0);
      await second.transport.inject({ text: '!start', from: 'u:admin' });
      await second.transport.inject({ text: '@ada now?' });
      expect(second.backend.calls).toHaveLength(1);
      expect(second.transport.botMessages().map((m) => m.text)).toEqual([
        '▶️ The mates are listening in this room again.',
        'You said: now?',
      ]);
    } finally {
      await second.bot.stop(100);
    }
  });
});
