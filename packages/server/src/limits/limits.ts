/**
 * Rate-limit enforcement for one request: the operation's 15-minute bucket for the caller's pool (app-only →
 * per app; user context → per user + app), then its 24-hour caps. Returns the headers every response of the
 * operation carries; throws X's 429 (with those headers) when a bucket is exhausted.
 */
import type { Principal } from '../auth/authenticate.js';
import type { Clock } from '../clock.js';
import type { OverrideRow, RateLimitOverrideStore } from '../data/rate-limits.js';
import { ProblemError } from '../errors.js';
import { LimitPolicy, WINDOW_15MIN_MS, WINDOW_24H_MS, type LimitOverride } from './policy.js';
import { bucketKey, type RateLimiter } from './rate-limiter.js';

export const OVERRIDES_CACHE_MS = 5_000;

export function tooManyRequests(headers: Record<string, string>): ProblemError {
  const e = new ProblemError(429, { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 });
  e.headers = headers;
  return e;
}

export class Limits {
  private readonly overrides = new Map<string, { until: number; map: ReadonlyMap<string, LimitOverride> | undefined }>();

  constructor(
    readonly enabled: boolean,
    readonly limiter: RateLimiter,
    readonly policy: LimitPolicy,
    private readonly clock: Clock,
    private readonly stored: RateLimitOverrideStore,
  ) {}

  /** Takes a token for the request; returns the rate-limit headers, or throws 429 carrying them. */
  async take(operationId: string, p: Principal): Promise<Record<string, string>> {
    const now = this.clock.now();
    const l = this.policy.forApp(operationId, await this.appOverrides(p.appId, now));
    const user = p.kind === 'user' ? p.userId : null;
    const w = await this.limiter.take(bucketKey(operationId, p.appId, user, '15m'), user === null ? l.app : l.user, WINDOW_15MIN_MS, now);
    const headers: Record<string, string> = {
      'x-rate-limit-limit': String(w.limit),
      'x-rate-limit-remaining': String(w.remaining),
      'x-rate-limit-reset': String(w.reset),
    };
    if (!w.allowed) throw tooManyRequests(headers);
    if (l.app24h !== null) {
      const a = await this.limiter.take(bucketKey(operationId, p.appId, null, '24h'), l.app24h, WINDOW_24H_MS, now);
      headers['x-app-limit-24hour-limit'] = String(a.limit);
      headers['x-app-limit-24hour-remaining'] = String(a.remaining);
      headers['x-app-limit-24hour-reset'] = String(a.reset);
      if (!a.allowed) throw tooManyRequests(headers);
    }
    if (user !== null && l.user24h !== null) {
      const u = await this.limiter.take(bucketKey(operationId, p.appId, user, '24h'), l.user24h, WINDOW_24H_MS, now);
      headers['x-user-limit-24hour-limit'] = String(u.limit);
      headers['x-user-limit-24hour-remaining'] = String(u.remaining);
      headers['x-user-limit-24hour-reset'] = String(u.reset);
      if (!u.allowed) throw tooManyRequests(headers);
    }
    return headers;
  }

  /** The 15-minute limit a caller of the operation has (its `x-rate-limit-limit`), without taking a token. */
  async limitFor(operationId: string, p: Principal): Promise<number> {
    const l = this.policy.forApp(operationId, await this.appOverrides(p.appId, this.clock.now()));
    return p.kind === 'user' ? l.user : l.app;
  }

  /** Per-app overrides from `rate_limit_overrides` (set by `roost apps limits`), cached for a few seconds. */
  private async appOverrides(appId: string, now: number): Promise<ReadonlyMap<string, LimitOverride> | undefined> {
    const hit = this.overrides.get(appId);
    if (hit && hit.until > now && hit.until - now <= OVERRIDES_CACHE_MS) return hit.map;
    const map = overridesOf(await this.stored.overrides(appId));
    this.overrides.set(appId, { until: now + OVERRIDES_CACHE_MS, map: map.size ? map : undefined });
    return map.size ? map : undefined;
  }

  /** Drops cached per-app overrides (after a change of them on this node). */
  forget(appId?: string): void {
    if (appId === undefined) this.overrides.clear();
    else this.overrides.delete(appId);
  }

  async close(): Promise<void> {
    await this.limiter.close();
  }
}

/** Stored per-app overrides as the policy applies them (one number per window, both pools). */
export function overridesOf(rows: readonly OverrideRow[]): Map<string, LimitOverride> {
  const map = new Map<string, LimitOverride>();
  for (const r of rows) {
    const o: LimitOverride = {};
    if (r.per15min !== null) o.app = o.user = r.per15min;
    if (r.per24h !== null) o.app24h = o.user24h = r.per24h;
    map.set(r.operationId, o);
  }
  return map;
}
