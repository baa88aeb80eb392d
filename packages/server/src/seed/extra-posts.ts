/**
 * Posts the extras add to a world whose posts already exist (Community posts, posts sharing a Space): written with
 * their search documents, counted in their authors' `tweet_count`, and each author's newest post becomes their
 * `most_recent_tweet_id` when it is newer than the one they had — as if they had posted them through the API.
 */
import type { Repos } from '../data/index.js';
import { newPostRow, type PostExtras, type PostRow } from '../data/rows.js';
import { prepareText } from '../util/text.js';
import { snowflakeAt } from '../util/snowflake.js';

/** A post of the extras: its author, text (URLs are wrapped into t.co links) and moment. */
export interface ExtraPost {
  authorId: string;
  text: string;
  at: number;
  extras?: PostExtras;
}

/**
 * Worker bits of the extras' post ids, by kind (the world's own posts take random workers and sequence numbers below
 * 16 at most; the extras use sequence numbers from 2048 up, so their ids never meet the world's).
 */
export const EXTRA_POST_WORKERS = { communities: 1021, spaces: 1022 } as const;

/** The rows of these posts (ids: snowflakes of their moments, `worker` and their index). */
export function extraPostRows(posts: readonly ExtraPost[], worker: number): PostRow[] {
  return posts.map((p, i) => {
    const id = snowflakeAt(p.at, worker, 2048 + (i % 2048));
    const { text, entities } = prepareText(p.text);
    return { ...newPostRow(id, p.authorId, p.at), text, entities, lang: 'en', extras: p.extras ?? null };
  });
}

export async function insertExtraPosts(repos: Repos, rows: readonly PostRow[]): Promise<void> {
  if (!rows.length) return;
  await repos.posts.insertMany(rows);
  const byAuthor = new Map<string, { n: number; newest: string }>();
  for (const p of rows) {
    const a = byAuthor.get(p.authorId);
    if (!a) byAuthor.set(p.authorId, { n: 1, newest: p.id });
    else {
      a.n++;
      if (BigInt(p.id) > BigInt(a.newest)) a.newest = p.id;
    }
  }
  const users = await repos.users.byIds([...byAuthor.keys()]);
  for (const [authorId, a] of byAuthor) {
    await repos.users.adjustCounters(authorId, { tweet_count: a.n });
    const had = users.get(authorId)?.mostRecentPostId;
    if (!had || BigInt(a.newest) > BigInt(had)) await repos.users.setMostRecentPost(authorId, a.newest);
  }
}
