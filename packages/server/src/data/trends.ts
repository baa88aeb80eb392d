import { OUTSIDE_CLOSED_COMMUNITIES } from './communities.js';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { Dialect } from '../db/dialect.js';
import { snowflakeAt } from '../util/snowflake.js';
import { json, num, str, type PostEntities } from './rows.js';

/** What trends count of a post: its entities and when it was posted. */
export interface TermSource {
  entities: PostEntities | null;
  createdAt: number;
}

/** A recent post as news clusters it: what trends count, and the post itself. */
export interface RecentPost extends TermSource {
  id: string;
  authorId: string;
  text: string;
  /** Likes + 2 × reposts + replies + quotes (search's relevancy). */
  engagement: number;
}

export interface RecentPostsQuery {
  /** Epoch ms: posts after this. */
  since: number;
  /** Only posts tagged with one of these places (null: every post). */
  placeIds: readonly string[] | null;
  /** Only posts by the accounts this user follows. */
  followedBy?: string;
  limit: number;
}

/**
 * The recent public posts trends and news are computed from: live current originals, replies and quotes (not reposts) by
 * accounts neither protected nor suspended, outside Closed Communities (members-only posts), newest first.
 */
export class TrendSources {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
  ) {}

  async recent(q: RecentPostsQuery): Promise<RecentPost[]> {
    if (q.placeIds && q.placeIds.length === 0) return [];
    let query = this.db
      .selectFrom('posts as p')
      .innerJoin('users as u', 'u.id', 'p.author_id')
      .select(['p.id', 'p.author_id', 'p.text', 'p.entities', 'p.created_at', 'p.like_count', 'p.retweet_count', 'p.reply_count', 'p.quote_count'])
      .where('p.id', '>', this.d.idParam(snowflakeAt(Math.max(q.since, 1288834974657))))
      .where('p.deleted', '=', 0)
      .where('p.superseded', '=', 0)
      .where('p.reposted_post_id', 'is', null)
      .where('p.entities', 'is not', null)
      .where('u.protected', '=', 0)
      .where('u.suspended', '=', 0)
      .where(sql<boolean>`${sql.raw(OUTSIDE_CLOSED_COMMUNITIES)}`);
    if (q.placeIds) query = query.where('p.place_id', 'in', [...q.placeIds]);
    if (q.followedBy) {
      const me = this.d.idParam(q.followedBy);
      query = query.where(sql<boolean>`p.author_id in (select followee_id from follows where follower_id = ${me})`);
    }
    const rows = await query.orderBy('p.id', 'desc').limit(q.limit).execute();
    return rows.map((r) => ({
      id: str(r.id),
      authorId: str(r.author_id),
      text: r.text,
      entities: json<PostEntities>(r.entities),
      createdAt: num(r.created_at),
      engagement: num(r.like_count) + 2 * num(r.retweet_count) + num(r.reply_count) + num(r.quote_count),
    }));
  }
}
