/**
 * A small seeded generator (mulberry32): generated models must be byte-identical for the
 * same options, so tests and benchmarks are reproducible.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Fills `count` values uniform in [-scale·√3, scale·√3), i.e. standard deviation `scale`. */
  fill(count: number, scale: number): Float32Array {
    const values = new Float32Array(count);
    const width = scale * Math.sqrt(3);
    for (let i = 0; i < count; i++) values[i] = (this.next() * 2 - 1) * width;
    return values;
  }
}
