import { Marked } from 'marked';

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// Raw HTML in a model's answer is shown as text, never passed to clients as markup.
const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    html: ({ text }) => escapeHtml(text),
  },
});

/** A message body and, when the text has markdown formatting, its HTML rendering. */
export interface RenderedText {
  readonly body: string;
  readonly formattedBody?: string;
}

/**
 * Renders markdown to Matrix `formatted_body` HTML. Plain text without any formatting gets no
 * `formatted_body`, so clients show it exactly as written.
 */
export function renderMarkdown(text: string): RenderedText {
  const html = (marked.parse(text) as string).trim();
  const paragraph = /^<p>([\s\S]*)<\/p>$/.exec(html)?.[1];
  const plain = escapeHtml(text.trim()).replace(/\n/g, '<br>');
  if (paragraph !== undefined && paragraph.trim().replace(/<br>\n?/g, '<br>') === plain)
    return { body: text };
  return { body: text, formattedBody: html };
}
