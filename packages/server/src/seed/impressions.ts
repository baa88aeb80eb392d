/**
 * Hourly impressions of the demo world's recent posts: each post's public impression count spread over the hours
 * after it was posted (half in the first hour, half of the rest in the next, …, the remainder in the last hour
 * before `now`), so analytics buckets add up to the count the post shows.
 */
import type { Repos } from '../data/index.js';

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

export async function seedImpressions(repos: Repos, now: number): Promise<number> {
  const posts = await repos.analytics.impressionTotals(now - SINCE_MS);
  const rows = posts.flatMap((p) => spreadImpressions(p.createdAt, p.impressions, now).map((r) => ({ postId: p.id, ...r })));
  await repos.analytics.insertImpressions(rows);
  return rows.length;
}
