/**
 * Storage of rate limiting (migration 005): `rate_limits` (one row per bucket: its current fixed window and the
 * tokens used in it, summed over every node) and `rate_limit_overrides` (per-app limits set by `roost apps
 * limits`). The algorithms — write-behind counting, windows, policy — are limits/'s; this module only reads and
 * writes rows. Direct reads: these statements run on the request path (every flush, every override refresh).
 */
import type { ReadFn } from '../db/connect.js';
import type { Dialect } from '../db/dialect.js';

/** A bucket as stored: the start of its window (epoch ms) and the tokens used in it. */
export interface BucketRow {
  windowStart: number;
  used: number;
}

/** What a shared limiter needs from storage. */
export interface RateLimitBuckets {
  /** The stored state of a bucket, if any. */
  bucket(key: string): Promise<BucketRow | undefined>;
  /**
   * Adds `used` tokens taken in the window starting at `windowStart` and returns the stored total: a newer window
   * replaces an older one, tokens of an older window than the stored one are dropped.
   */
  add(key: string, windowStart: number, used: number): Promise<BucketRow | undefined>;
}

/** A stored per-app override; null keeps the operation's own number. */
export interface OverrideRow {
  operationId: string;
  per15min: number | null;
  per24h: number | null;
}

export interface RateLimitOverrideStore {
  overrides(appId: string): Promise<OverrideRow[]>;
  setOverride(appId: string, o: OverrideRow): Promise<void>;
  removeOverride(appId: string, operationId: string): Promise<void>;
}

type Num = number | string;

export class RateLimits implements RateLimitBuckets, RateLimitOverrideStore {
  private readonly addSql: string;
  private readonly bucketSql: string;
  private readonly overridesSql: string;
  private readonly setOverrideSql: string;
  private readonly removeOverrideSql: string;

  constructor(
    private readonly d: Dialect,
    private readonly read: ReadFn,
  ) {
    const p = d.placeholders(4).split(',');
    this.addSql =
      `insert into rate_limits (bucket, window_start, used) values (${p[0]}, ${p[1]}, ${p[2]}) ` +
      'on conflict (bucket) do update set used = case ' +
      'when rate_limits.window_start = excluded.window_start then rate_limits.used + excluded.used ' +
      'when rate_limits.window_start > excluded.window_start then rate_limits.used else excluded.used end, ' +
      `window_start = ${d.greatest}(rate_limits.window_start, excluded.window_start) returning used, window_start`;
    this.bucketSql = `select used, window_start from rate_limits where bucket = ${p[0]}`;
    this.overridesSql = `select operation_id, per_15min, per_24h from rate_limit_overrides where app_id = ${p[0]}`;
    this.setOverrideSql =
      `insert into rate_limit_overrides (app_id, operation_id, per_15min, per_24h) values (${p.join(', ')}) ` +
      'on conflict (app_id, operation_id) do update set per_15min = excluded.per_15min, per_24h = excluded.per_24h returning app_id';
    this.removeOverrideSql = `delete from rate_limit_overrides where app_id = ${p[0]} and operation_id = ${p[1]} returning app_id`;
  }

  async bucket(key: string): Promise<BucketRow | undefined> {
    return bucketOf((await this.read<{ used: Num; window_start: Num }>(this.bucketSql, [key]))[0]);
  }

  async add(key: string, windowStart: number, used: number): Promise<BucketRow | undefined> {
    return bucketOf((await this.read<{ used: Num; window_start: Num }>(this.addSql, [key, windowStart, used]))[0]);
  }

  async overrides(appId: string): Promise<OverrideRow[]> {
    const rows = await this.read<{ operation_id: string; per_15min: Num | null; per_24h: Num | null }>(this.overridesSql, [this.d.idParam(appId)]);
    return rows.map((r) => ({
      operationId: r.operation_id,
      per15min: r.per_15min === null ? null : Number(r.per_15min),
      per24h: r.per_24h === null ? null : Number(r.per_24h),
    }));
  }

  async setOverride(appId: string, o: OverrideRow): Promise<void> {
    await this.read(this.setOverrideSql, [this.d.idParam(appId), o.operationId, o.per15min, o.per24h]);
  }

  async removeOverride(appId: string, operationId: string): Promise<void> {
    await this.read(this.removeOverrideSql, [this.d.idParam(appId), operationId]);
  }
}

const bucketOf = (r: { used: Num; window_start: Num } | undefined): BucketRow | undefined =>
  r && { windowStart: Number(r.window_start), used: Number(r.used) };
