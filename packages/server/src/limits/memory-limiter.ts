import { windowStart, windowState, type RateLimiter, type WindowState } from './rate-limiter.js';

interface Counter {
  start: number;
  used: number;
}

/** In-process limiter: one node, forgotten on restart. Stale windows are swept when the map grows. */
export class MemoryLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Counter>();

  constructor(private readonly maxBuckets = 100_000) {}

  async take(key: string, limit: number, windowMs: number, now: number): Promise<WindowState> {
    return this.takeSync(key, limit, windowMs, now);
  }

  takeSync(key: string, limit: number, windowMs: number, now: number): WindowState {
    const start = windowStart(now, windowMs);
    let c = this.buckets.get(key);
    if (!c) {
      if (this.buckets.size >= this.maxBuckets) this.sweep(now, windowMs);
      c = { start, used: 0 };
      this.buckets.set(key, c);
    } else if (c.start !== start) {
      c.start = start;
      c.used = 0;
    }
    c.used++;
    return windowState(c.used, limit, start, windowMs, true);
  }

  async peek(key: string, limit: number, windowMs: number, now: number): Promise<WindowState> {
    const start = windowStart(now, windowMs);
    const c = this.buckets.get(key);
    return windowState(c && c.start === start ? c.used : 0, limit, start, windowMs, false);
  }

  private sweep(now: number, windowMs: number): void {
    for (const [k, c] of this.buckets) if (c.start + Math.max(windowMs, 86_400_000) <= now) this.buckets.delete(k);
    if (this.buckets.size >= this.maxBuckets) this.buckets.clear();
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
