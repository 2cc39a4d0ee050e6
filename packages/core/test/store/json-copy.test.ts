import { describe, expect, it } from 'vitest';
import { isFrozenRecord, isFrozenRecordList, jsonCopy } from '../../src/store/json-copy.js';

const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
  get length(): number {
    return Math.hypot(this.x, this.y);
  }
}

describe('jsonCopy', () => {
  const cases: Record<string, unknown> = {
    scalars: [0, 1.5, -2, 'text', '', true, false, null],
    'a stored message': {
      id: 'e1',
      timestamp: 1_700_000_000_000,
      role: 'user',
      content: 'hi',
      name: undefined,
    },
    nesting: { a: [1, [2, [3, { b: { c: [] } }]]], d: {} },
    'numbers JSON cannot write': [Number.NaN, Number.POSITIVE_INFINITY, -0, { n: Number.NEGATIVE_INFINITY }],
    'values JSON leaves out': {
      u: undefined,
      f: () => 1,
      s: Symbol('s'),
      list: [undefined, () => 1, Symbol('t'), 'kept'],
    },
    'a sparse array': new Array(3).fill(1, 0, 1).fill(3, 2),
    'toJSON and its key': {
      when: new Date(Date.UTC(2026, 0, 2)),
      custom: { toJSON: (key: string) => `called for ${key}` },
      list: [{ toJSON: (key: string) => `item ${key}` }],
      gone: { toJSON: () => undefined },
    },
    'wrapper objects': [Object(1), Object('s'), Object(false)],
    'class instances, maps and regular expressions': [new Point(3, 4), new Map([[1, 2]]), /x/g],
    'a typed array': new Uint8Array([1, 2]),
    'integer-like keys': { b: 1, 2: 'two', a: 3, 1: 'one' },
    'a __proto__ key': JSON.parse('{"__proto__": {"polluted": true}, "x": 1}'),
  };

  for (const [name, value] of Object.entries(cases)) {
    it(`equals a JSON round trip: ${name}`, () => {
      const copy = jsonCopy(value);
      expect(JSON.stringify(copy)).toBe(JSON.stringify(value));
      expect(copy).toStrictEqual(roundTrip(value));
    });
  }

  it('keeps a __proto__ key as an own property, as JSON.parse does, and pollutes nothing', () => {
    const copy = jsonCopy(JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('shares no object with the original', () => {
    const value = { list: [1, { deep: 'x' }] };
    const copy = jsonCopy(value);
    value.list.push(2);
    (value.list[1] as { deep: string }).deep = 'changed';
    expect(copy).toEqual({ list: [1, { deep: 'x' }] });
  });

  it('writes -0 as 0', () => {
    expect(Object.is(jsonCopy(-0), 0)).toBe(true);
  });

  it('accepts an object met twice that is not a cycle', () => {
    const shared = { n: 1 };
    expect(jsonCopy({ a: shared, b: [shared, shared] })).toEqual({ a: { n: 1 }, b: [{ n: 1 }, { n: 1 }] });
  });

  it('throws like JSON.stringify on a cycle and on a bigint', () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = { back: cycle };
    expect(() => jsonCopy(cycle)).toThrow(TypeError);
    expect(() => jsonCopy(cycle)).toThrow(/circular/);
    expect(() => jsonCopy({ n: 1n })).toThrow(TypeError);
    expect(() => jsonCopy([Object(1n)])).toThrow(TypeError);
  });

  it('refuses a value that has no JSON form at all', () => {
    expect(() => jsonCopy(undefined)).toThrow(/undefined has no JSON form/);
    expect(() => jsonCopy(() => 1)).toThrow(/function has no JSON form/);
    expect(() => jsonCopy({ toJSON: () => undefined })).toThrow(/no JSON form/);
  });
});

describe('isFrozenRecord', () => {
  it('accepts a frozen plain object of primitives', () => {
    expect(isFrozenRecord(Object.freeze({ id: 'e1', n: 1, ok: true, none: null, name: undefined }))).toBe(
      true,
    );
    expect(isFrozenRecord(Object.freeze(Object.assign(Object.create(null), { a: 1 })))).toBe(true);
  });

  it('refuses anything a caller could still change or JSON would not copy as is', () => {
    expect(isFrozenRecord({ a: 1 })).toBe(false);
    expect(isFrozenRecord(Object.freeze({ nested: { a: 1 } }))).toBe(false);
    expect(isFrozenRecord(Object.freeze({ list: Object.freeze([1]) }))).toBe(false);
    expect(isFrozenRecord(Object.freeze({ f: () => 1 }))).toBe(false);
    expect(isFrozenRecord(Object.freeze({ n: 1n }))).toBe(false);
    let calls = 0;
    expect(
      isFrozenRecord(
        Object.freeze({
          get now() {
            return ++calls;
          },
        }),
      ),
    ).toBe(false);
    expect(isFrozenRecord(Object.freeze({ toJSON: () => 'x' }))).toBe(false);
    expect(isFrozenRecord(Object.freeze(new Point(1, 2)))).toBe(false);
    expect(isFrozenRecord(Object.freeze([1, 2]))).toBe(false);
    expect(isFrozenRecord('text')).toBe(false);
    expect(isFrozenRecord(null)).toBe(false);
  });
});

describe('isFrozenRecordList', () => {
  it('accepts a frozen array of frozen records, empty included', () => {
    const record = Object.freeze({ id: 'e1', n: 1 });
    expect(isFrozenRecordList(Object.freeze([record, record]))).toBe(true);
    expect(isFrozenRecordList(Object.freeze([]))).toBe(true);
  });

  it('refuses an array a caller could change, or one holding anything but frozen records', () => {
    const record = Object.freeze({ id: 'e1' });
    expect(isFrozenRecordList([record])).toBe(false);
    expect(isFrozenRecordList(Object.freeze([{ id: 'e1' }]))).toBe(false);
    expect(isFrozenRecordList(Object.freeze([record, 1]))).toBe(false);
    // A hole is no record.
    const holey: unknown[] = [record];
    holey[2] = record;
    expect(isFrozenRecordList(Object.freeze(holey))).toBe(false);
    expect(isFrozenRecordList(Object.freeze([Object.freeze([record])]))).toBe(false);
    class Page extends Array<unknown> {}
    expect(isFrozenRecordList(Object.freeze(Page.from([record])))).toBe(false);
    expect(isFrozenRecordList(record)).toBe(false);
  });
});
