import { describe, expect, it } from 'vitest';
import { creatorsArePrivileged, isRoomAdminIn } from '../src/room-admin.js';

const create = (room_version: string, additional_creators?: string[]) => ({
  sender: '@alice:hs',
  content: { room_version, ...(additional_creators ? { additional_creators } : {}) },
});
const powerLevels = { users: { '@mod:hs': 50, '@admin:hs': 100 }, users_default: 0, state_default: 50 };

describe('room admins', () => {
  it('makes the creators of a version 12 room admins, additional creators included', () => {
    expect(isRoomAdminIn('@alice:hs', { create: create('12'), powerLevels })).toBe(true);
    expect(isRoomAdminIn('@carol:hs', { create: create('12', ['@carol:hs']), powerLevels })).toBe(true);
    expect(isRoomAdminIn('@bob:hs', { create: create('12', ['@carol:hs']), powerLevels })).toBe(false);
  });

  it('reads only the power levels in older room versions', () => {
    expect(isRoomAdminIn('@alice:hs', { create: create('11'), powerLevels })).toBe(false);
    expect(isRoomAdminIn('@mod:hs', { create: create('11'), powerLevels })).toBe(true);
    expect(isRoomAdminIn('@mod:hs', { powerLevels: { ...powerLevels, state_default: 100 } })).toBe(false);
    expect(isRoomAdminIn('@mod:hs', {})).toBe(false);
  });

  it('knows which room versions privilege creators', () => {
    expect(['1', '11', 'org.matrix.msc1234'].map(creatorsArePrivileged)).toEqual([false, false, false]);
    expect(['12', '13'].map(creatorsArePrivileged)).toEqual([true, true]);
    expect(creatorsArePrivileged(undefined)).toBe(false);
  });
});
