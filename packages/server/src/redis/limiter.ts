import type { Redis } from 'ioredis';
import { windowStart, windowState, type RateLimiter, type WindowState } from '../limits/rate-limiter.js';

/** INCR, and on the window's first take give the counter a lifetime: the key disappears after its window. */
const TAKE = `local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

/**
 * The limiter shared by every node: one Redis counter per bucket and window (`<prefix>rl:<bucket>:<start>`), taken
 * with one atomic INCR, so limits are exact across nodes (no write-behind slack). The window start is in the key:
 * a new window is a new counter, and old ones expire on their own (kept for twice the window: a clock moved back by
 * the admin API still finds them).
 */
export class RedisLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(bucket: string, start: number): string {
    return `${this.prefix}rl:${bucket}:${start}`;
  }

  async take(key: string, limit: number, windowMs: number, now: number): Promise<WindowState> {
    const start = windowStart(now, windowMs);
    const used = Number(await this.redis.eval(TAKE, 1, this.key(key, start), String(windowMs * 2)));
    return windowState(used, limit, start, windowMs, true);
  }

  async peek(key: string, limit: number, windowMs: number, now: number): Promise<WindowState> {
    const start = windowStart(now, windowMs);
    const used = Number((await this.redis.get(this.key(key, start))) ?? 0);
    return windowState(used, limit, start, windowMs, false);
  }

  /** Every take is already in Redis. */
  async flush(): Promise<void> {}

  /** The connection belongs to the node's Redis connections (client.ts), closed with them. */
  async close(): Promise<void> {}
}
