import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { Dialect } from '../db/dialect.js';
import { runnerFor, type RunFn } from '../db/connect.js';
import { num, str } from './rows.js';
import { insertRows } from './batch.js';
import { SNOWFLAKE_EPOCH_MS, snowflakeAt } from '../util/snowflake.js';

/** One recorded event of a post's analytics: which post, what, when, how many. */
export interface AnalyticsEvent {
  postId: string;
  metric: 'likes' | 'retweets' | 'replies' | 'quote_tweets' | 'bookmarks' | 'impressions';
  at: number;
  n: number;
}

/**
 * What the world recorded about posts in a time range: likes and bookmarks (their rows), reposts, replies and
 * quotes (the posts that make them, while live), impressions (per hour). One query per kind, whatever the
 * number of posts.
 */
export class Analytics {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
    private readonly run: RunFn = runnerFor({ db }),
  ) {}

  async events(postIds: readonly string[], start: number, end: number): Promise<AnalyticsEvent[]> {
    if (!postIds.length) return [];
    const ids = postIds.map((i) => this.d.idParam(i));
    const out: AnalyticsEvent[] = [];
    const push = (metric: AnalyticsEvent['metric'], rows: { post_id: unknown; at: unknown; n?: unknown }[]) => {
      for (const r of rows) out.push({ postId: str(r.post_id), metric, at: num(r.at), n: r.n === undefined ? 1 : num(r.n) });
    };
    for (const table of ['likes', 'bookmarks'] as const) {
      const rows = await this.db.selectFrom(table).select(['post_id', 'created_at as at']).where('post_id', 'in', ids).where('created_at', '>=', start).where('created_at', '<', end).execute();
      push(table, rows);
    }
    for (const [metric, col] of [['retweets', 'reposted_post_id'], ['replies', 'in_reply_to_post_id'], ['quote_tweets', 'quoted_post_id']] as const) {
      const rows = await this.db
        .selectFrom('posts')
        .select([sql.ref(col).as('post_id'), 'created_at as at'])
        .where(col, 'in', ids)
        .where('deleted', '=', 0)
        .where('superseded', '=', 0)
        .where('created_at', '>=', start)
        .where('created_at', '<', end)
        .execute();
      push(metric, rows);
    }
    const shown = await this.db.selectFrom('post_impressions').select(['post_id', 'hour as at', 'count as n']).where('post_id', 'in', ids).where('hour', '>=', start - 3_600_000).where('hour', '<', end).execute();
    push('impressions', shown.filter((r) => num(r.at) >= start));
    return out;
  }

  /** Hourly impressions as (post, hour, count) values, flat (the seed writes millions): hand-written statements. */
  async insertImpressions(values: readonly unknown[]): Promise<void> {
    await insertRows(this.d, this.run, 'insert into post_impressions (post_id, hour, count)', '(?, ?, ?)', values);
  }

  /** Posts created since `since` that have impressions: what the seed spreads over hours. */
  async impressionTotals(since: number): Promise<{ id: string; createdAt: number; impressions: number }[]> {
    // An id is a snowflake of a moment no earlier than its post's created_at (util/snowflake.ts stays monotonic when
    // the clock goes back), so the id bound keeps every such post and lets the scan start at the recent ones.
    const rows = await this.db
      .selectFrom('posts')
      .select(['id', 'created_at', 'impression_count'])
      .where('id', '>=', this.d.idParam(snowflakeAt(Math.max(since, SNOWFLAKE_EPOCH_MS))))
      .where('created_at', '>=', since)
      .where('impression_count', '>', 0)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ id: str(r.id), createdAt: num(r.created_at), impressions: num(r.impression_count) }));
  }
}
