import { describe, expect, it } from 'vitest';
import { SignalPairing } from '../src/launch/signal-pairing.js';

/** A pairing on a clock the test moves. */
function pairing(windowMs = 500) {
  const clock = { now: 0 };
  return { clock, pairing: new SignalPairing(windowMs, () => clock.now) };
}

describe('SignalPairing', () => {
  it('counts a signal that reached the bot and the launcher alike once, whichever copy comes first', () => {
    const { clock, pairing: p } = pairing();
    expect(p.arrive('own', 'SIGINT')).toBe(true);
    clock.now += 3;
    expect(p.arrive('relayed', 'SIGINT')).toBe(false);
    clock.now += 1_000;
    expect(p.arrive('relayed', 'SIGTERM')).toBe(true);
    expect(p.arrive('own', 'SIGTERM')).toBe(false);
  });

  it('counts a signal that reached only one of them', () => {
    const { clock, pairing: p } = pairing();
    expect(p.arrive('relayed', 'SIGTERM')).toBe(true);
    clock.now += 1_000;
    expect(p.arrive('relayed', 'SIGTERM')).toBe(true);
    expect(p.arrive('own', 'SIGINT')).toBe(true);
    // Different signals never pair.
    expect(p.arrive('relayed', 'SIGTERM')).toBe(true);
  });

  it('pairs copies one to one, so two quick Ctrl-Cs still count twice', () => {
    const { clock, pairing: p } = pairing();
    const counted = [p.arrive('own', 'SIGINT'), p.arrive('relayed', 'SIGINT')];
    clock.now += 100;
    counted.push(p.arrive('own', 'SIGINT'), p.arrive('relayed', 'SIGINT'));
    expect(counted).toEqual([true, false, true, false]);
  });

  it('does not pair copies further apart than the window', () => {
    const { clock, pairing: p } = pairing(500);
    expect(p.arrive('own', 'SIGINT')).toBe(true);
    clock.now += 501;
    expect(p.arrive('relayed', 'SIGINT')).toBe(true);
  });
});
