import { describe, expect, it } from 'vitest';
import { errorKindForStatus } from '../src/http-status.js';

describe('errorKindForStatus', () => {
  it('maps what a model server answers to what the user is told', () => {
    expect(errorKindForStatus(400)).toBe('bad-request');
    expect(errorKindForStatus(404)).toBe('bad-request');
    expect(errorKindForStatus(408)).toBe('timeout');
    expect(errorKindForStatus(429)).toBe('overloaded');
    expect(errorKindForStatus(500)).toBe('internal');
    expect(errorKindForStatus(502)).toBe('unavailable');
    expect(errorKindForStatus(503)).toBe('overloaded');
    expect(errorKindForStatus(504)).toBe('timeout');
    expect(errorKindForStatus(undefined)).toBe('internal');
  });

  it('tells a refused key apart from a request the model could not take', () => {
    expect(errorKindForStatus(401)).toBe('auth');
    expect(errorKindForStatus(403)).toBe('auth');
  });
});
