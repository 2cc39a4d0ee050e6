import { afterEach, describe, expect, it, vi } from 'vitest';
import { IntakeGate, type IntakeTicket } from '../../src/engine/intake-gate.js';

/** A gate on a clock the test moves, with fake timers for its wake-ups. */
function gateOf(concurrency: number, releaseAfterMs = 1_000) {
  let clock = 0;
  const gate = new IntakeGate({ concurrency, releaseAfterMs, now: () => clock });
  const advance = async (ms: number) => {
    clock += ms;
    await vi.advanceTimersByTimeAsync(ms);
  };
  return { gate, advance };
}

/** Enters the gate and records, in `admitted`, when each entry got its place. */
function enterAll(gate: IntakeGate, names: string[], admitted: string[]): Map<string, IntakeTicket> {
  const tickets = new Map<string, IntakeTicket>();
  for (const name of names) {
    const entered = gate.enter();
    if (entered instanceof Promise) {
      void entered.then((ticket) => {
        tickets.set(name, ticket);
        admitted.push(name);
      });
    } else {
      tickets.set(name, entered);
      admitted.push(name);
    }
  }
  return tickets;
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

afterEach(() => {
  vi.useRealTimers();
});

describe('IntakeGate', () => {
  it('admits up to its concurrency at once and the rest in arrival order as places free', async () => {
    const { gate } = gateOf(2);
    const admitted: string[] = [];
    const tickets = enterAll(gate, ['a', 'b', 'c', 'd', 'e'], admitted);
    expect(admitted).toEqual(['a', 'b']);
    expect(gate.active).toBe(2);
    expect(gate.waiting).toBe(3);

    tickets.get('b')?.release();
    await flush();
    expect(admitted).toEqual(['a', 'b', 'c']);
    tickets.get('a')?.release();
    tickets.get('c')?.release();
    await flush();
    expect(admitted).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(gate.active).toBe(2);
    expect(gate.waiting).toBe(0);
  });

  it('counts a ticket given back twice once', async () => {
    const { gate } = gateOf(1);
    const admitted: string[] = [];
    const tickets = enterAll(gate, ['a', 'b', 'c'], admitted);
    const a = tickets.get('a') as IntakeTicket;
    a.release();
    a.release();
    await flush();
    expect(admitted).toEqual(['a', 'b']);
    expect(gate.active).toBe(1);
  });

  it('a newcomer does not pass messages already waiting', async () => {
    const { gate } = gateOf(1);
    const admitted: string[] = [];
    const first = enterAll(gate, ['a', 'b'], admitted);
    first.get('a')?.release();
    // 'b' is admitted on a later tick; 'c' arrives before that and must wait behind it.
    const second = enterAll(gate, ['c'], admitted);
    await flush();
    expect(admitted).toEqual(['a', 'b']);
    first.get('b')?.release();
    await flush();
    expect(admitted).toEqual(['a', 'b', 'c']);
    second.get('c')?.release();
    expect(gate.active).toBe(0);
  });

  it('stops counting a message held longer than releaseAfterMs, so others do not wait behind a slow reply', async () => {
    vi.useFakeTimers();
    const { gate, advance } = gateOf(1, 50);
    const admitted: string[] = [];
    const tickets = enterAll(gate, ['slow', 'next', 'after'], admitted);
    await advance(49);
    expect(admitted).toEqual(['slow']);
    await advance(1);
    expect(admitted).toEqual(['slow', 'next']);
    await advance(50);
    expect(admitted).toEqual(['slow', 'next', 'after']);
    // Given back late, an expired ticket changes nothing.
    tickets.get('slow')?.release();
    tickets.get('next')?.release();
    expect(gate.active).toBe(1);
    tickets.get('after')?.release();
    expect(gate.active).toBe(0);
  });

  it('lets an arrival in on an expired place without a timer', () => {
    let clock = 0;
    const gate = new IntakeGate({ concurrency: 1, releaseAfterMs: 10, now: () => clock });
    const first = gate.enter();
    expect(first instanceof Promise).toBe(false);
    clock = 10;
    const second = gate.enter();
    expect(second instanceof Promise).toBe(false);
    expect(gate.active).toBe(1);
  });

  it('with concurrency 0 admits everything at once', () => {
    const { gate } = gateOf(0);
    const admitted: string[] = [];
    enterAll(gate, ['a', 'b', 'c'], admitted);
    expect(admitted).toEqual(['a', 'b', 'c']);
    expect(gate.waiting).toBe(0);
  });
});
