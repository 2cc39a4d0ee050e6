/** A stretch of a conversation's timeline, by message timestamps (ms). */
export interface ContextSegment {
  readonly from: number;
  readonly to: number;
  /** Conversation the stretch was saved from (a snapshot shared in the room may come from another person's). */
  readonly conversation: string;
  /** Whose side of a per-user conversation the stretch holds. */
  readonly userId: string;
}

/**
 * What a conversation's context is made of: the messages since the last reset marker, after
 * any segments a rollback restored. Stored per conversation key; no message text.
 */
export interface ConversationState {
  /** Reset marker: only messages newer than this belong to the live part of the context. */
  readonly since: number;
  /** Earlier stretches restored by `!rollback`, oldest first. */
  readonly restored: readonly ContextSegment[];
  /** Profile chosen with `!profile`, when not the mate's default. */
  readonly profile?: string;
}

/** A named save point of a conversation, shared within its room. */
export interface Snapshot {
  readonly name: string;
  readonly segments: readonly ContextSegment[];
  readonly mate: string;
  readonly savedBy: string;
  readonly savedAt: number;
}

export const EMPTY_CONVERSATION: ConversationState = { since: 0, restored: [] };

/**
 * Where a message of `conversation` at `timestamp` sits in the context: `live` after the reset
 * marker, a restored segment, or undefined when it is not part of the context.
 */
export function placeInContext(
  state: ConversationState,
  current: string,
  conversation: string,
  timestamp: number,
): 'live' | ContextSegment | undefined {
  if (conversation === current && timestamp > state.since) return 'live';
  return state.restored.find(
    (s) => s.conversation === conversation && timestamp > s.from && timestamp <= s.to,
  );
}

/** Where history reading may start: the oldest timestamp the context can include. */
export function earliest(state: ConversationState): number {
  return Math.min(state.since, ...state.restored.map((s) => s.from));
}
