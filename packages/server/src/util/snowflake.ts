import type { Clock } from '../clock.js';

/** The Twitter epoch (2010-11-04T01:42:54.657Z): snowflake time 0. The only place this number is written. */
export const SNOWFLAKE_EPOCH_MS = 1288834974657;
export const SNOWFLAKE_EPOCH = BigInt(SNOWFLAKE_EPOCH_MS);

/** X-style ids: 41-bit ms since the Twitter epoch, 10-bit worker, 12-bit sequence; strings on the wire. */
export class Snowflake {
  private lastMs = -1n;
  private seq = 0n;
  constructor(
    private readonly clock: Clock,
    private readonly worker = 0,
  ) {
    if (worker < 0 || worker > 1023) throw new Error('worker id must be 0..1023');
  }

  next(): string {
    let ms = BigInt(this.clock.now()) - SNOWFLAKE_EPOCH;
    if (ms < this.lastMs) ms = this.lastMs; // clock moved back: stay monotonic
    if (ms === this.lastMs) {
      this.seq = (this.seq + 1n) & 0xfffn;
      if (this.seq === 0n) ms = this.lastMs + 1n; // sequence exhausted in this ms: borrow the next one
    } else {
      this.seq = 0n;
    }
    this.lastMs = ms;
    return ((ms << 22n) | (BigInt(this.worker) << 12n) | this.seq).toString();
  }
}

export function snowflakeAt(ms: number, worker = 0, seq = 0): string {
  return snowflakeBits(ms, worker, seq).toString();
}

/** The same id as a bigint (the seed holds millions of them in a BigInt64Array). */
export function snowflakeBits(ms: number, worker = 0, seq = 0): bigint {
  return ((BigInt(ms) - SNOWFLAKE_EPOCH) << 22n) | (BigInt(worker & 1023) << 12n) | BigInt(seq & 4095);
}

export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + SNOWFLAKE_EPOCH);
}

/** Ids live in signed 64-bit columns; the spec's `^[0-9]{1,19}$` still admits larger 19-digit values. */
export const MAX_ID = 9223372036854775807n;

/** The spec's pattern for ids. */
export const ID_PATTERN = '^[0-9]{1,19}$';

/** The last millisecond a snowflake can carry (2080-07-10): later times have no id and cannot bound a window. */
export const LAST_SNOWFLAKE_MS = Number((MAX_ID >> 22n) + SNOWFLAKE_EPOCH);

/** Whether a decimal id fits the id columns (false for anything larger: no stored id can equal it). */
export function idInRange(id: string): boolean {
  return BigInt(id) <= MAX_ID;
}
