import { splitMessage } from '@confab/core';
import { describe, expect, it } from 'vitest';
import { startBot } from './helpers.js';

describe('streaming replies', () => {
  it('sends once, then edits no faster than the transport allows; the final text is exact', async () => {
    const reply = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');
    const { transport } = await startBot({
      transport: { capabilities: { minEditIntervalMs: 40 } },
      profiles: { default: { chunkDelayMs: 5, reply } },
    });
    await transport.inject({ text: '@ada go' });
    const writes = transport.calls.filter((c) => c.op === 'send' || c.op === 'edit');
    expect(writes[0]?.op).toBe('send');
    expect(writes.length).toBeGreaterThan(2);
    for (let i = 1; i < writes.length; i++) {
      expect((writes[i]?.at ?? 0) - (writes[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(39);
    }
    const [message] = transport.botMessages();
    expect(message?.text).toBe(reply);
    // Every revision is a prefix of the final text: edits only ever grow the message.
    for (const revision of message?.revisions ?? []) expect(reply.startsWith(revision)).toBe(true);
  });

  it('writes each text once: a reply already written in full is not written again at the end', async () => {
    const { transport } = await startBot({ profiles: { default: { reply: 'one two three' } } });
    await transport.inject({ text: '@ada go' });
    const texts = transport.calls.filter((c) => c.op === 'send' || c.op === 'edit').map((c) => c.text);
    expect(texts.at(-1)).toBe('one two three');
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('without edits the reply is sent once, complete', async () => {
    const { transport } = await startBot({
      transport: { capabilities: { edits: false } },
      profiles: { default: { reply: 'all at once please' } },
    });
    await transport.inject({ text: '@ada go' });
    expect(transport.calls.filter((c) => c.op === 'edit')).toHaveLength(0);
    expect(transport.botMessages().map((m) => m.text)).toEqual(['all at once please']);
  });

  it('continues in further messages past the length limit, never cutting a code fence', async () => {
    const code = Array.from({ length: 6 }, (_, i) => `line ${i} of code`).join('\n');
    const prose = 'Some words before the code block that take up space. '.repeat(2);
    const reply = `${prose}\n\n\`\`\`js\n${code}\n\`\`\`\n\nAnd after it, more words to finish.`;
    const { transport } = await startBot({
      transport: { capabilities: { maxMessageLength: 160 } },
      profiles: { default: { reply, chunkSize: 7 } },
    });
    await transport.inject({ text: '@ada go' });
    const messages = transport.botMessages().map((m) => m.text);
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.join('')).toBe(reply);
    for (const text of messages) {
      expect(text.length).toBeLessThanOrEqual(160);
      expect((text.match(/```/g) ?? []).length % 2).toBe(0);
    }
    expect(transport.messages.filter((m) => m.replyTo && m.mate).length).toBe(1);
  });

  it('shows typing only while the first text is slow to come, and stops it once text shows', async () => {
    const { transport } = await startBot({
      profiles: { default: { reply: 'hi there', firstTokenDelayMs: 1300 } },
    });
    await transport.inject({ text: '@ada go' });
    const typing = transport.calls.filter((c) => c.op === 'typing').map((c) => c.active);
    expect(typing).toEqual([true, false]);
    expect(transport.botMessages().at(-1)?.text).toBe('hi there');
  });

  it('sends no typing indicator when the reply starts at once', async () => {
    const { transport } = await startBot({ profiles: { default: { reply: 'hi' } } });
    await transport.inject({ text: '@ada go' });
    expect(transport.calls.filter((c) => c.op === 'typing')).toEqual([]);
    expect(transport.botMessages().at(-1)?.text).toBe('hi');
  });
});

describe('splitMessage', () => {
  it('returns short text unchanged', () => {
    expect(splitMessage('hello', 100)).toEqual(['hello']);
  });

  it('prefers paragraph, then line, then word boundaries, and concatenates back exactly', () => {
    const text = `${'a'.repeat(30)}\n\n${'b'.repeat(30)}\n${'c '.repeat(30)}`;
    const chunks = splitMessage(text, 40);
    expect(chunks.join('')).toBe(text);
    expect(chunks[0]).toBe(`${'a'.repeat(30)}\n\n`);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(40);
  });

  it('closes and reopens a code block longer than the limit, keeping its language', () => {
    const text = `\`\`\`python\n${Array.from({ length: 20 }, (_, i) => `print(${i})`).join('\n')}\n\`\`\``;
    const chunks = splitMessage(text, 60);
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(60);
      expect(chunk.startsWith('```python\n')).toBe(true);
      expect(chunk.trimEnd().endsWith('```')).toBe(true);
    }
    const body = chunks.map((c) => c.replace(/^```python\n/, '').replace(/\n?```$/, '')).join('\n');
    expect(body.replace(/\n+/g, '\n')).toBe(text.replace(/^```python\n/, '').replace(/\n```$/, ''));
  });

  it('hard-cuts a single word longer than the limit', () => {
    const chunks = splitMessage('x'.repeat(50), 20);
    expect(chunks).toEqual(['x'.repeat(20), 'x'.repeat(20), 'x'.repeat(10)]);
  });
});
