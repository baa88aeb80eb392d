/**
 * Post analytics views (pure): recorded events summed per post and per time bucket (hourly, daily, weekly — UTC,
 * weeks from the first day asked — or one total bucket). Metrics the world never records (clicks, app opens,
 * follows from a post, …) count zero events, so they are zero.
 */
import type { AnalyticsEvent } from '../data/analytics.js';
import { iso } from './present.js';

export const METRICS = [
  'app_install_attempts', 'app_opens', 'bookmarks', 'detail_expands', 'email_tweet', 'engagements', 'follows', 'hashtag_clicks',
  'impressions', 'likes', 'media_views', 'permalink_clicks', 'quote_tweets', 'replies', 'retweets', 'shares', 'unfollows', 'unlikes',
  'url_clicks', 'user_profile_clicks',
] as const;
type Metric = (typeof METRICS)[number];

/** Engagements are the interactions the world records with a post. */
const ENGAGEMENTS: ReadonlySet<string> = new Set(['likes', 'retweets', 'replies', 'quote_tweets', 'bookmarks']);
const DEFAULT_FIELDS = ['impressions', 'engagements', 'timestamped_metrics'];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export type Granularity = 'hourly' | 'daily' | 'weekly' | 'total';

/** The bucket starts covering [start, end). */
export function buckets(start: number, end: number, g: Granularity): number[] {
  if (g === 'total') return [start];
  const size = g === 'hourly' ? HOUR : g === 'daily' ? DAY : 7 * DAY;
  const origin = g === 'hourly' ? Math.floor(start / HOUR) * HOUR : Math.floor(start / DAY) * DAY;
  const out: number[] = [];
  for (let t = origin; t < end; t += size) out.push(t);
  return out;
}

function bucketOf(at: number, starts: readonly number[]): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const zero = (): Record<Metric, number> => Object.fromEntries(METRICS.map((m) => [m, 0])) as Record<Metric, number>;

export function presentAnalytics(postId: string, events: readonly AnalyticsEvent[], starts: readonly number[], asked: readonly string[] | undefined): Record<string, unknown> {
  const fields = new Set(asked ?? DEFAULT_FIELDS);
  const per = starts.map(zero);
  const total = zero();
  for (const e of events) {
    const b = per[bucketOf(e.at, starts)]!;
    b[e.metric] += e.n;
    total[e.metric] += e.n;
    if (ENGAGEMENTS.has(e.metric)) {
      b.engagements += e.n;
      total.engagements += e.n;
    }
  }
  const pick = (m: Record<Metric, number>) => Object.fromEntries(METRICS.filter((k) => fields.has(k)).map((k) => [k, m[k]]));
  const out: Record<string, unknown> = { id: postId, ...pick(total) };
  if (fields.has('timestamp')) out.timestamp = iso(starts[0]!);
  if (fields.has('timestamped_metrics')) out.timestamped_metrics = starts.map((t, i) => ({ timestamp: iso(t), metrics: pick(per[i]!) }));
  return out;
}
