/**
 * Hourly impressions of the demo world's recent posts: each post's public impression count spread over the hours
 * after it was posted (half in the first hour, half of the rest in the next, …, the remainder in the last hour
 * before `now`), so analytics buckets add up to the count the post shows.
 */
import type { Repos } from '../data/index.js';
import type { Dialect } from '../db/dialect.js';

const HOUR = 3_600_000;
/** Posts of the last 90 days get hourly rows (older ones are outside any analytics question worth seeding). */
const SINCE_MS = 90 * 24 * HOUR;
const MAX_HOURS = 8;

export function spreadImpressions(createdAt: number, total: number, now: number): { hour: number; count: number }[] {
  const first = Math.floor(createdAt / HOUR) * HOUR;
  const last = Math.floor(now / HOUR) * HOUR;
  const out: { hour: number; count: number }[] = [];
  let left = total;
  for (let h = first, k = 0; left > 0; h += HOUR, k++) {
    const take = h >= last || k === MAX_HOURS - 1 ? left : Math.ceil(left / 2);
    out.push({ hour: h, count: take });
    left -= take;
  }
  return out;
}

export async function seedImpressions(repos: Repos, d: Dialect, now: number): Promise<number> {
  const posts = await repos.analytics.impressionTotals(now - SINCE_MS);
  // (post, hour, count) values, flat, written a slice at a time: a big world has tens of millions of them.
  let rows = 0;
  for (let i = 0; i < posts.length; i += SLICE) {
    const values: unknown[] = [];
    for (const p of posts.slice(i, i + SLICE)) {
      const id = d.idParam(p.id);
      for (const r of spreadImpressions(p.createdAt, p.impressions, now)) values.push(id, r.hour, r.count);
    }
    await repos.analytics.insertImpressions(values);
    rows += values.length / 3;
  }
  return rows;
}

/** Posts whose hourly rows are written together. */
const SLICE = 20_000;
