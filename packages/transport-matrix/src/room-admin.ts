/** The parts of `m.room.create`, as a full event, that decide who created a room. */
export interface RoomCreateEvent {
  readonly sender: string;
  readonly content: { readonly room_version?: string; readonly additional_creators?: readonly string[] };
}

/** The parts of `m.room.power_levels` content that decide who is a room admin. */
export interface RoomPowerLevels {
  readonly users?: Record<string, number>;
  readonly users_default?: number;
  readonly state_default?: number;
}

/**
 * Whether a room version gives its creators unlimited power (MSC4289, room version 12 and
 * later). Those creators are not listed in the power levels, so reading only those refuses them.
 */
export function creatorsArePrivileged(roomVersion: string | undefined): boolean {
  // Room version 1 is implied when the create event names none.
  return /^\d+$/.test(roomVersion ?? '1') && Number(roomVersion ?? '1') >= 12;
}

/**
 * Whether `userId` is an admin of a room: one of its creators where the room version makes
 * them privileged, otherwise someone whose power level lets them send state events.
 */
export function isRoomAdminIn(
  userId: string,
  state: { readonly create?: RoomCreateEvent; readonly powerLevels?: RoomPowerLevels },
): boolean {
  const { create, powerLevels } = state;
  if (create && creatorsArePrivileged(create.content.room_version)) {
    if (create.sender === userId || create.content.additional_creators?.includes(userId)) return true;
  }
  if (!powerLevels) return false;
  const level = powerLevels.users?.[userId] ?? powerLevels.users_default ?? 0;
  return level >= (powerLevels.state_default ?? 50);
}
