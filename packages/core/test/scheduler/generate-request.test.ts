import { describe, expect, it } from 'vitest';
import { generateRequest } from '../../src/scheduler/generate-request.js';

const fields = {
  profile: 'default',
  system: 'You are Ada.',
  messages: [{ role: 'user' as const, content: 'hi' }],
  sampling: { temperature: 0.2 },
};

describe('generateRequest', () => {
  it('carries the fields and the controller signal, aborted when the controller aborts', () => {
    const controller = new AbortController();
    const request = generateRequest(fields, controller);
    expect(request.profile).toBe('default');
    expect(request.system).toBe('You are Ada.');
    expect(request.messages).toBe(fields.messages);
    expect(request.sampling).toBe(fields.sampling);
    expect(request.signal).toBe(controller.signal);
    expect(request.signal.aborted).toBe(false);
    controller.abort(new Error('cancelled'));
    expect(request.signal.aborted).toBe(true);
  });

  it('gives an already aborted signal when the job was cancelled before the backend read it', () => {
    const controller = new AbortController();
    const request = generateRequest(fields, controller);
    controller.abort(new Error('superseded'));
    expect(request.signal.aborted).toBe(true);
    expect((request.signal.reason as Error).message).toBe('superseded');
  });

  it('survives a spread copy, as plain data would', () => {
    const controller = new AbortController();
    const copy = { ...generateRequest(fields, controller), profile: 'other' };
    expect(copy.signal).toBe(controller.signal);
    expect(copy.profile).toBe('other');
    expect(Object.keys(copy)).toEqual(['profile', 'system', 'messages', 'sampling', 'signal']);
  });
});
