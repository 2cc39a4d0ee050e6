/** Discord's epoch (2015-01-01), the zero of snowflake timestamps. */
export const DISCORD_EPOCH = 1_420_070_400_000n;

/**
 * Makes Discord-style snowflake ids: the creation time in the high bits, so ids sort by time as
 * on Discord (history paging and `after`/`before` depend on that), and a counter below it so ids
 * made in the same millisecond stay unique and ordered.
 */
export class SnowflakeGenerator {
  private lastMs = 0n;
  private increment = 0n;

  next(at: number = Date.now()): string {
    let ms = BigInt(at) - DISCORD_EPOCH;
    // Never go back in time, so a later id is always larger.
    if (ms < this.lastMs) ms = this.lastMs;
    if (ms === this.lastMs) this.increment++;
    else this.increment = 0n;
    if (this.increment > 0xfffn) {
      ms++;
      this.increment = 0n;
    }
    this.lastMs = ms;
    return ((ms << 22n) | this.increment).toString();
  }
}

/** The creation time of a snowflake, in epoch milliseconds. */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}
