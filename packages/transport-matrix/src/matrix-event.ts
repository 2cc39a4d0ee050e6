import { escapeRegExp, wholeWord, withoutCode } from '@confab/core';

/** The parts of a Matrix room event the transport reads. */
export interface MatrixEvent {
  readonly event_id: string;
  readonly sender: string;
  readonly type: string;
  readonly origin_server_ts: number;
  readonly state_key?: string;
  readonly content: Record<string, unknown>;
  readonly unsigned?: Record<string, unknown>;
}

/** `m.relates_to` of a message, as far as confab uses it. */
export interface MatrixRelation {
  readonly rel_type?: string;
  readonly event_id?: string;
  readonly is_falling_back?: boolean;
  readonly 'm.in_reply_to'?: { readonly event_id?: string };
}

/** A room message reduced to what confab needs. */
export interface ParsedMessage {
  /** Body without the reply fallback. */
  readonly text: string;
  /** User ids from `m.mentions`, pills in `formatted_body`, and display names of known users written as whole words outside code. */
  readonly mentions: readonly string[];
  /** The event this one replies to (not the thread fallback). */
  readonly replyTo?: string;
  /** Root event of the thread the message is in. */
  readonly threadId?: string;
  /** `m.notice`: by convention sent by bots. */
  readonly notice: boolean;
}

const PILL = /https:\/\/matrix\.to\/#\/((?:@|%40)[^"'?<>\s/]+)/g;

/** The `m.relates_to` of an event's content, if any. */
export function relationOf(content: Record<string, unknown>): MatrixRelation | undefined {
  const relation = content['m.relates_to'];
  return typeof relation === 'object' && relation !== null ? (relation as MatrixRelation) : undefined;
}

/** Whether the event is an edit (`m.replace`) of another; edits are never new messages. */
export function isEdit(event: MatrixEvent): boolean {
  return relationOf(event.content)?.rel_type === 'm.replace';
}

/** The event's content with its latest edit applied, when the server bundled one. */
function latestContent(event: MatrixEvent): Record<string, unknown> {
  const relations = event.unsigned?.['m.relations'] as Record<string, unknown> | undefined;
  const replace = relations?.['m.replace'] as { content?: Record<string, unknown> } | undefined;
  const replaced = replace?.content?.['m.new_content'];
  return typeof replaced === 'object' && replaced !== null
    ? { ...(replaced as Record<string, unknown>), 'm.relates_to': event.content['m.relates_to'] }
    : event.content;
}

/** Removes the quoted reply fallback (`> <@user> text` lines, then a blank line). */
function stripReplyFallback(body: string): string {
  if (!body.startsWith('> ')) return body;
  const lines = body.split('\n');
  let i = 0;
  while (i < lines.length && (lines[i] as string).startsWith('>')) i++;
  if (i < lines.length && lines[i] === '') i++;
  return lines.slice(i).join('\n');
}

/**
 * Reads an `m.room.message` event; undefined for anything that is not a text message confab
 * answers (edits, redacted or empty events, media without a body).
 *
 * `knownNames` maps display names of users worth detecting when written as plain text (the
 * mates' identities) to their user ids.
 */
export function parseMessage(
  event: MatrixEvent,
  knownNames: ReadonlyMap<string, string> = new Map(),
): ParsedMessage | undefined {
  if (event.type !== 'm.room.message' || isEdit(event)) return undefined;
  const content = latestContent(event);
  const body = content.body;
  const msgtype = content.msgtype;
  if (typeof body !== 'string' || body.trim() === '') return undefined;
  if (msgtype !== 'm.text' && msgtype !== 'm.notice' && msgtype !== 'm.emote') return undefined;
  const relation = relationOf(content);
  const threadId = relation?.rel_type === 'm.thread' ? relation.event_id : undefined;
  const inReplyTo = relation?.['m.in_reply_to']?.event_id;
  // In a thread, clients point m.in_reply_to at the latest event only as a fallback for old clients.
  const replyTo =
    inReplyTo !== undefined && !(threadId !== undefined && relation?.is_falling_back) ? inReplyTo : undefined;
  const text = replyTo !== undefined ? stripReplyFallback(body) : body;

  const mentions = new Set<string>();
  const declared = (content['m.mentions'] as { user_ids?: unknown } | undefined)?.user_ids;
  if (Array.isArray(declared)) for (const id of declared) if (typeof id === 'string') mentions.add(id);
  if (content.format === 'org.matrix.custom.html' && typeof content.formatted_body === 'string') {
    const html = content.formatted_body.replace(
      /<mx-reply>[\s\S]*?<\/mx-reply>|<code[^>]*>[\s\S]*?<\/code>/g,
      '',
    );
    for (const match of html.matchAll(PILL)) mentions.add(decodeURIComponent(match[1] as string));
  }
  // Code is quoted, not addressed: a name there is no mention.
  const prose = withoutCode(text);
  for (const [name, userId] of knownNames) {
    // Whole names only: "Bob" is not in "bobcat" nor in "bob-human".
    if (new RegExp(wholeWord(escapeRegExp(name)), 'iu').test(prose)) mentions.add(userId);
  }
  return {
    text: msgtype === 'm.emote' ? `* ${event.sender} ${text}` : text,
    mentions: [...mentions],
    ...(replyTo !== undefined ? { replyTo } : {}),
    ...(threadId !== undefined ? { threadId } : {}),
    notice: msgtype === 'm.notice',
  };
}
