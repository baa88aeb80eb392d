/** Time source for domain code. Tests and the time-travel control swap it; nothing else reads the wall clock. */
export interface Clock {
  now(): number;
  /**
   * The wall time clients live in, where it differs from `now()` (after time travel). Checks of client-stamped
   * times (OAuth 1.0a timestamps) accept either: a client signs with its own clock, not the server's.
   */
  wallNow?(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export class ManualClock implements Clock {
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  set(ms: number): void {
    this.t = ms;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface ClockState {
  /** The server's time (epoch ms). */
  now: number;
  frozen: boolean;
  /** now − wall time: how far the clock has travelled. */
  offsetMs: number;
}

/**
 * The clock of a server with the admin API on: wall time plus an offset, which time travel moves forward or back;
 * frozen, it stays at one instant until moved. Rate-limit windows, edit windows, search windows, token and code
 * expiry and media processing all read it, so moving it moves them.
 */
export class ControlledClock implements Clock {
  private offset = 0;
  private frozenAt: number | null = null;

  constructor(
    start: { at?: number; frozen?: boolean } = {},
    private readonly wall: () => number = Date.now,
  ) {
    if (start.at !== undefined) this.offset = start.at - wall();
    // Frozen at the asked instant itself: reading the wall clock again could land a millisecond later.
    if (start.frozen) this.frozenAt = start.at ?? this.now();
  }

  now(): number {
    return this.frozenAt ?? this.wall() + this.offset;
  }

  wallNow(): number {
    return this.wall();
  }

  /** Moves the clock by `ms` (negative: back). A frozen clock stays frozen at the new instant. */
  advance(ms: number): void {
    if (this.frozenAt !== null) this.frozenAt += ms;
    else this.offset += ms;
  }

  /** Jumps to an instant; a running clock runs on from there. */
  set(at: number): void {
    if (this.frozenAt !== null) this.frozenAt = at;
    else this.offset = at - this.wall();
  }

  /** Stops the clock (at `at`, or where it is). */
  freeze(at?: number): void {
    this.frozenAt = at ?? this.now();
  }

  /** Lets a frozen clock run again from the instant it shows. */
  resume(): void {
    if (this.frozenAt === null) return;
    this.offset = this.frozenAt - this.wall();
    this.frozenAt = null;
  }

  state(): ClockState {
    const now = this.now();
    return { now, frozen: this.frozenAt !== null, offsetMs: now - this.wall() };
  }
}
