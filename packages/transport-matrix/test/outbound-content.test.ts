import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../src/markdown.js';
import { editContent, messageContent } from '../src/outbound-content.js';

describe('outbound content', () => {
  it('renders markdown to formatted_body, leaves plain text plain, and escapes raw HTML', () => {
    expect(renderMarkdown('just words')).toEqual({ body: 'just words' });
    expect(renderMarkdown('trailing space ')).toEqual({ body: 'trailing space ' });
    expect(renderMarkdown('**bold** and `code`').formattedBody).toBe(
      '<p><strong>bold</strong> and <code>code</code></p>',
    );
    expect(renderMarkdown('hi <script>alert(1)</script>')).toEqual({ body: 'hi <script>alert(1)</script>' });
    expect(renderMarkdown('**x** <b>y</b>').formattedBody).toBe(
      '<p><strong>x</strong> &lt;b&gt;y&lt;/b&gt;</p>',
    );
  });

  it('builds replies, thread answers and m.replace edits', () => {
    expect(messageContent('a', { replyTo: '$q' })['m.relates_to']).toEqual({
      'm.in_reply_to': { event_id: '$q' },
    });
    expect(messageContent('a', { threadId: '$root', replyTo: '$q' })['m.relates_to']).toEqual({
      rel_type: 'm.thread',
      event_id: '$root',
      is_falling_back: false,
      'm.in_reply_to': { event_id: '$q' },
    });
    const edit = editContent('$sent', '*more*');
    expect(edit).toMatchObject({
      body: '* *more*',
      'm.relates_to': { rel_type: 'm.replace', event_id: '$sent' },
      'm.new_content': { msgtype: 'm.text', body: '*more*', formatted_body: '<p><em>more</em></p>' },
    });
  });
});
