import type { RateLimitBuckets } from '../data/rate-limits.js';
import { serialized } from '../util/serial.js';
import { windowStart, windowState, type RateLimiter, type WindowState } from './rate-limiter.js';

interface Entry {
  start: number;
  /** Tokens used in the window as this node knows it: the database's total at the last flush plus `pending`. */
  used: number;
  /** Tokens taken on this node and not yet written. */
  pending: number;
}

/**
 * Limiter over shared bucket storage (`RateLimitBuckets`: the `rate_limits` table, data/rate-limits.ts): counts
 * survive a restart and are shared by every node on the same database.
 *
 * Write-behind: a take is counted in memory at once (exact on this node, no database round trip on the hot
 * path); the counts taken are added to the store in one upsert per bucket every `flushMs` (and on flush/close),
 * and each upsert returns the table's total, which brings in other nodes' takes. A bucket this node has not seen
 * yet is read from the table first (so a restart resumes where the counts were). Across nodes the limit is
 * therefore soft by at most what the other nodes take in one flush interval; a crash loses at most one interval.
 * (One synchronous upsert per request cost more than half of a lookup's throughput: see bench/auth-overhead.ts.)
 */
export class WriteBehindLimiter implements RateLimiter {
  private readonly local = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<Entry>>();
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly buckets: RateLimitBuckets,
    private readonly flushMs = 250,
    private readonly maxBuckets = 100_000,
  ) {}

  private async entry(key: string, start: number): Promise<Entry> {
    const e = this.local.get(key);
    if (e) return e;
    let p = this.loading.get(key);
    if (!p) {
      p = (async () => {
        const r = await this.buckets.bucket(key);
        const fresh: Entry = r ? { start: r.windowStart, used: r.used, pending: 0 } : { start, used: 0, pending: 0 };
        if (this.local.size >= this.maxBuckets) this.sweep(start);
        // A take may have created the entry while the read was in flight.
        const now = this.local.get(key) ?? fresh;
        this.local.set(key, now);
        return now;
      })().finally(() => this.loading.delete(key));
      this.loading.set(key, p);
    }
    return p;
  }

  async take(key: string, limit: number, windowMs: number, now: number): Promise<WindowState> {
    const start = windowStart(now, windowMs);
    const e = this.local.get(key) ?? (await this.entry(key, start));
    if (e.start !== start) {
      e.start = start;
      e.used = 0;
      e.pending = 0;
    }
    e.used++;
    e.pending++;
    this.dirty.add(key);
    if (!this.timer && this.flushMs > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush().catch(() => undefined);
      }, this.flushMs);
      this.timer.unref();
    }
    return windowState(e.used, limit, start, windowMs, true);
  }

  async peek(key: string, limit: number, windowMs: number, now: number): Promise<WindowState> {
    const start = windowStart(now, windowMs);
    const e = this.local.get(key) ?? (await this.entry(key, start));
    return windowState(e.start === start ? e.used : 0, limit, start, windowMs, false);
  }

  /** Writes this node's pending takes and refreshes those buckets' totals from the table. */
  readonly flush = serialized(() => this.flushNow());

  private async flushNow(): Promise<void> {
    const keys = [...this.dirty];
    this.dirty.clear();
    for (const key of keys) {
      const e = this.local.get(key);
      if (!e) continue;
      const n = e.pending;
      const start = e.start;
      e.pending -= n;
      const r = await this.buckets.add(key, start, n);
      if (r && e.start === start && r.windowStart === start) e.used = r.used + e.pending;
    }
  }

  private sweep(start: number): void {
    for (const [k, e] of this.local) if (e.pending === 0 && e.start + 86_400_000 < start) this.local.delete(k);
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
