import { renderMarkdown } from './markdown.js';

/** Where a message goes inside its room. */
export interface OutboundPlace {
  /** Event to reply to. */
  readonly replyTo?: string;
  /** Thread root, to answer inside the thread. */
  readonly threadId?: string;
}

function textContent(text: string): Record<string, unknown> {
  const { body, formattedBody } = renderMarkdown(text);
  return {
    msgtype: 'm.text',
    body,
    ...(formattedBody !== undefined
      ? { format: 'org.matrix.custom.html', formatted_body: formattedBody }
      : {}),
    // Explicitly no mentions: a mate's answer never pings anyone by accident.
    'm.mentions': {},
  };
}

/** Content of a new message: markdown rendered, a reply (`m.in_reply_to`) and/or in a thread (`m.thread`). */
export function messageContent(text: string, place: OutboundPlace): Record<string, unknown> {
  const content = textContent(text);
  if (place.threadId !== undefined) {
    content['m.relates_to'] = {
      rel_type: 'm.thread',
      event_id: place.threadId,
      // A real reply inside the thread when there is one; else the fallback for thread-unaware clients.
      is_falling_back: place.replyTo === undefined || place.replyTo === place.threadId,
      'm.in_reply_to': { event_id: place.replyTo ?? place.threadId },
    };
  } else if (place.replyTo !== undefined) {
    content['m.relates_to'] = { 'm.in_reply_to': { event_id: place.replyTo } };
  }
  return content;
}

/** Content of an edit (`m.replace`) that replaces the text of `eventId`. */
export function editContent(eventId: string, text: string): Record<string, unknown> {
  const replacement = textContent(text);
  return {
    msgtype: 'm.text',
    body: `* ${text}`,
    'm.new_content': replacement,
    'm.relates_to': { rel_type: 'm.replace', event_id: eventId },
    'm.mentions': {},
  };
}
