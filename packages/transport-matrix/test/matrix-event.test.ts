import { describe, expect, it } from 'vitest';
import { type MatrixEvent, parseMessage } from '../src/matrix-event.js';

const event = (content: Record<string, unknown>, extra: Partial<MatrixEvent> = {}): MatrixEvent => ({
  event_id: '$e',
  sender: '@alice:hs',
  type: 'm.room.message',
  origin_server_ts: 1,
  content,
  ...extra,
});

describe('parseMessage', () => {
  it('collects mentions from m.mentions, pills and known display names', () => {
    const parsed = parseMessage(
      event({
        msgtype: 'm.text',
        body: 'Bob and Ada, look',
        format: 'org.matrix.custom.html',
        formatted_body: '<a href="https://matrix.to/#/%40bob%3Ahs">Bob</a> and Ada, look',
        'm.mentions': { user_ids: ['@carol:hs'] },
      }),
      new Map([['Ada', '@ada:hs']]),
    );
    expect(parsed?.mentions).toEqual(['@carol:hs', '@bob:hs', '@ada:hs']);
  });

  it('matches display names as whole words only, and never inside code', () => {
    const names = new Map([
      ['Bob', '@bob:hs'],
      ['Zoë', '@zoe:hs'],
    ]);
    const mentioned = (body: string, extra: Record<string, unknown> = {}) =>
      parseMessage(event({ msgtype: 'm.text', body, ...extra }), names)?.mentions;
    expect(mentioned('hi Bob')).toEqual(['@bob:hs']);
    expect(mentioned('bob, what do you think?')).toEqual(['@bob:hs']);
    expect(mentioned('bob-human says hi')).toEqual([]);
    expect(mentioned('a bobcat and bob_2 and robob')).toEqual([]);
    expect(mentioned('Zoëlle and Zoé')).toEqual([]);
    expect(mentioned('(Zoë)')).toEqual(['@zoe:hs']);
    expect(mentioned('see `Bob` and\n```\nBob = 1\n```')).toEqual([]);
    expect(mentioned('see `Bob`, Bob')).toEqual(['@bob:hs']);
    expect(
      mentioned('x', {
        format: 'org.matrix.custom.html',
        formatted_body: '<code><a href="https://matrix.to/#/@bob:hs">Bob</a></code>',
      }),
    ).toEqual([]);
  });

  it('strips the reply fallback and reports the replied-to event', () => {
    const parsed = parseMessage(
      event({
        msgtype: 'm.text',
        body: '> <@ada:hs> earlier answer\n> second line\n\nmy reply',
        'm.relates_to': { 'm.in_reply_to': { event_id: '$earlier' } },
      }),
    );
    expect(parsed).toMatchObject({ text: 'my reply', replyTo: '$earlier' });
  });

  it('reads threads and ignores the thread fallback reply', () => {
    const parsed = parseMessage(
      event({
        msgtype: 'm.text',
        body: 'in thread',
        'm.relates_to': {
          rel_type: 'm.thread',
          event_id: '$root',
          is_falling_back: true,
          'm.in_reply_to': { event_id: '$latest' },
        },
      }),
    );
    expect(parsed).toMatchObject({ text: 'in thread', threadId: '$root' });
    expect(parsed?.replyTo).toBeUndefined();
  });

  it('applies a bundled edit and skips edits, media and other events', () => {
    const edited = event(
      { msgtype: 'm.text', body: 'first' },
      {
        unsigned: {
          'm.relations': {
            'm.replace': { content: { 'm.new_content': { msgtype: 'm.text', body: 'second' } } },
          },
        },
      },
    );
    expect(parseMessage(edited)?.text).toBe('second');
    expect(
      parseMessage(
        event({ msgtype: 'm.text', body: '* x', 'm.relates_to': { rel_type: 'm.replace', event_id: '$a' } }),
      ),
    ).toBeUndefined();
    expect(parseMessage(event({ msgtype: 'm.image', body: 'cat.png' }))).toBeUndefined();
    expect(parseMessage(event({ body: 'x' }, { type: 'm.reaction' }))).toBeUndefined();
    expect(parseMessage(event({ msgtype: 'm.notice', body: 'from a bot' }))?.notice).toBe(true);
  });
});
