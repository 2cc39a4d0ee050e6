/** Per-room state the bot keeps: whether it speaks there and the room's choices. */
export interface RoomState {
  /** `!stop` silences the bot in a room; `!start` brings it back. */
  readonly active: boolean;
  /** Mate chosen with `!mate` to answer where no mate is addressed (DMs, single-user bots). */
  readonly defaultMate?: string;
  /** Whether mates answer each other here (`!bots on|off`); unset: the config's default. */
  readonly botToBot?: boolean;
}

export const DEFAULT_ROOM: RoomState = { active: true };
