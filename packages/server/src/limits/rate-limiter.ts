/**
 * The rate limiter: fixed windows of counted tokens per bucket. A bucket key names operation + app (app-only)
 * or operation + user + app (user context); see `bucketKey`. Windows are aligned to multiples of their length
 * since the epoch (15-minute windows start at :00, :15, :30, :45; 24-hour windows at 00:00 UTC), so the reset
 * is the same for every bucket and `x-rate-limit-reset` is a whole epoch second.
 *
 * Backends (memory, SQL; Redis with scale-out) implement this interface and pass one contract suite
 * (tests/limits.contract.test.ts).
 */
export interface WindowState {
  /** The window's limit. */
  limit: number;
  /** Tokens left after this call (never negative). */
  remaining: number;
  /** When the window resets, epoch seconds. */
  reset: number;
  /** take(): whether the token was granted; peek(): whether a token is available. */
  allowed: boolean;
}

export interface RateLimiter {
  /** Takes one token from the bucket's current window. A refused take still counts (as at X). */
  take(key: string, limit: number, windowMs: number, now: number): Promise<WindowState>;
  /** The bucket's current window without taking a token. */
  peek(key: string, limit: number, windowMs: number, now: number): Promise<WindowState>;
  /** Makes this instance's takes visible to other instances over the same state (no-op when unshared). */
  flush(): Promise<void>;
  /** Flushes, then releases resources. */
  close(): Promise<void>;
}

export const windowStart = (now: number, windowMs: number): number => now - (now % windowMs);

export function windowState(used: number, limit: number, start: number, windowMs: number, taking: boolean): WindowState {
  return {
    limit,
    remaining: Math.max(0, limit - used),
    reset: Math.floor((start + windowMs) / 1000),
    allowed: taking ? used <= limit : used < limit,
  };
}

/** `op|a|<app>` for app-only, `op|u|<user>|<app>` for user context, suffixed by the window kind. */
export function bucketKey(operationId: string, appId: string, userId: string | null, window: '15m' | '24h'): string {
  return userId === null ? `${operationId}|a|${appId}|${window}` : `${operationId}|u|${userId}|${appId}|${window}`;
}
