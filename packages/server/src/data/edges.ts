import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/tables.js';
import { runnerFor, type RunFn } from '../db/connect.js';
import type { Dialect } from '../db/dialect.js';
import { num, str } from './rows.js';
import { insertRows } from './batch.js';

/** A position in a relation ordered by (at, id) — the keyset a cursor carries. */
export interface EdgeKey {
  at: number;
  id: string;
}

export interface EdgePageQuery {
  limit: number;
  /** Exclusive: rows strictly after this key in the walking direction. */
  from?: EdgeKey;
  /** false: newest first (next pages). true: oldest first from `from` (previous pages). */
  ascending?: boolean;
}

export interface Edge {
  id: string;
  at: number;
}

type EdgeTable = 'follows' | 'likes';
interface EdgeShape {
  table: EdgeTable;
  anchor: 'follower_id' | 'followee_id' | 'user_id' | 'post_id';
  other: 'follower_id' | 'followee_id' | 'user_id' | 'post_id';
}

const FOLLOWERS: EdgeShape = { table: 'follows', anchor: 'followee_id', other: 'follower_id' };
const FOLLOWING: EdgeShape = { table: 'follows', anchor: 'follower_id', other: 'followee_id' };
const LIKERS: EdgeShape = { table: 'likes', anchor: 'post_id', other: 'user_id' };
const LIKED: EdgeShape = { table: 'likes', anchor: 'user_id', other: 'post_id' };

/** Bulk inserts of follows and likes (hand-written: the seed, tests' worlds): (follower, followee, at), (user, post, at). */
export const FOLLOW_INSERT = { head: 'insert into follows (follower_id, followee_id, created_at)', row: '(?, ?, ?)' } as const;
export const LIKE_INSERT = { head: 'insert into likes (user_id, post_id, created_at)', row: '(?, ?, ?)' } as const;

/** Follows and likes: two-column relations walked newest first by (created_at, other id). */
export class Edges {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
    private readonly run: RunFn = runnerFor({ db }),
  ) {}

  followers(userId: string, q: EdgePageQuery) {
    return this.page(FOLLOWERS, userId, q);
  }
  following(userId: string, q: EdgePageQuery) {
    return this.page(FOLLOWING, userId, q);
  }
  likingUsers(postId: string, q: EdgePageQuery) {
    return this.page(LIKERS, postId, q);
  }
  likedPosts(userId: string, q: EdgePageQuery) {
    return this.page(LIKED, userId, q);
  }

  private page(shape: EdgeShape, anchor: string, q: EdgePageQuery): Promise<Edge[]> {
    return pageRelation(this.db, this.d, shape.table, shape.anchor, shape.other, anchor, q);
  }

  /** Which of these (follower → followee) pairs exist. Keys are `follower:followee`. */
  async followPairs(pairs: readonly [string, string][]): Promise<Set<string>> {
    const out = new Set<string>();
    if (pairs.length === 0) return out;
    const rows = await this.db
      .selectFrom('follows')
      .select(['follower_id', 'followee_id'])
      .where((e) =>
        e.or(
          pairs.map(([a, b]) =>
            e.and([e('follower_id', '=', this.d.idParam(a)), e('followee_id', '=', this.d.idParam(b))]),
          ),
        ),
      )
      .execute();
    for (const r of rows) out.add(`${str(r.follower_id)}:${str(r.followee_id)}`);
    return out;
  }

  /**
   * The viewer's connections to these users beside follows (connection_status): whom the viewer blocks and
   * mutes, and the follow requests either way — in one query.
   */
  async connectionsOf(viewerId: string, userIds: readonly string[]): Promise<ViewerConnections> {
    const out: ViewerConnections = { blocking: new Set(), muting: new Set(), requestSent: new Set(), requestReceived: new Set() };
    if (userIds.length === 0) return out;
    const me = this.d.idParam(viewerId);
    const them = userIds.map((u) => this.d.idParam(u));
    const rows = await this.db
      .selectFrom('blocks')
      .select([sql<string>`'b'`.as('k'), 'blocked_id as other'])
      .where('blocker_id', '=', me)
      .where('blocked_id', 'in', them)
      .unionAll((db) => db.selectFrom('mutes').select([sql<string>`'m'`.as('k'), 'muted_id as other']).where('muter_id', '=', me).where('muted_id', 'in', them))
      .unionAll((db) => db.selectFrom('follow_requests').select([sql<string>`'s'`.as('k'), 'target_id as other']).where('requester_id', '=', me).where('target_id', 'in', them))
      .unionAll((db) => db.selectFrom('follow_requests').select([sql<string>`'r'`.as('k'), 'requester_id as other']).where('target_id', '=', me).where('requester_id', 'in', them))
      .execute();
    const into = { b: out.blocking, m: out.muting, s: out.requestSent, r: out.requestReceived } as const;
    for (const r of rows) into[r.k as keyof typeof into].add(str(r.other));
    return out;
  }

  /** Bulk inserts (the seeded world): hand-written multi-row statements (data/batch.ts insertRows). */
  async insertFollows(rows: readonly { followerId: string; followeeId: string; at: number }[]): Promise<void> {
    const values: unknown[] = [];
    for (const r of rows) values.push(this.d.idParam(r.followerId), this.d.idParam(r.followeeId), r.at);
    await insertRows(this.d, this.run, FOLLOW_INSERT.head, FOLLOW_INSERT.row, values);
  }

  async insertLikes(rows: readonly { userId: string; postId: string; at: number }[]): Promise<void> {
    const values: unknown[] = [];
    for (const r of rows) values.push(this.d.idParam(r.userId), this.d.idParam(r.postId), r.at);
    await insertRows(this.d, this.run, LIKE_INSERT.head, LIKE_INSERT.row, values);
  }
}

/**
 * One keyset page of a two-column relation (follows, likes, blocks, mutes, bookmarks, …): rows whose
 * `anchorCol` is `anchor` (and, given a `filter`, that satisfy it), walked by (created_at, other id) newest first,
 * or oldest first from `q.from`.
 */
export async function pageRelation(
  db: Kysely<Database>,
  d: Dialect,
  table: string,
  anchorCol: string,
  otherCol: string,
  anchor: string,
  q: EdgePageQuery,
  filter?: RawBuilder<unknown>,
): Promise<Edge[]> {
  const other = sql.ref(otherCol);
  const dir = sql.raw(q.ascending ? 'asc' : 'desc');
  let from = sql``;
  if (q.from) {
    const cmp = sql.raw(q.ascending ? '>' : '<');
    const at = q.from.at;
    from = sql` and (created_at ${cmp} ${at} or (created_at = ${at} and ${other} ${cmp} ${d.idParam(q.from.id)}))`;
  }
  // Table and columns come from the callers' constant shapes; one statement serves every pair relation.
  const r = await sql<{ other: string | bigint; created_at: number | bigint | string }>`select ${other} as other, created_at from ${sql.table(table)} where ${sql.ref(anchorCol)} = ${d.idParam(anchor)}${from}${filter ? sql` and ${filter}` : sql``} order by created_at ${dir}, ${other} ${dir} limit ${q.limit}`.execute(db);
  return r.rows.map((row) => ({ id: str(row.other), at: num(row.created_at) }));
}

/** The relations stored as (a, b, created_at) pairs with a unique (a, b) key. */
export type PairTable = 'likes' | 'follows' | 'blocks' | 'mutes' | 'follow_requests' | 'bookmarks' | 'list_members' | 'list_followers' | 'list_pins' | 'dm_blocks';

/** One pair relation: its table and the column names of its two ends. */
export interface PairShape {
  table: PairTable;
  a: string;
  b: string;
}

/**
 * Inserts (a, b) unless present; true when a row was added, so callers change counters only for real changes. The
 * pair tables share one shape under different column names: these statements are written once, with identifiers
 * from the callers' constant shapes.
 */
/**
 * The pair writes are hand-written statements (prepared once per SQL text in SQLite): likes and follows are on the
 * write path. `exec` is a repository's direct writer, or a Kysely handle to run them through.
 */
export async function addPair(
  exec: Kysely<Database> | RunFn,
  d: Dialect,
  s: PairShape,
  a: string,
  b: string,
  at: number,
  extra: Readonly<Record<string, string | bigint | null>> = {},
): Promise<boolean> {
  const cols = [s.a, s.b, 'created_at', ...Object.keys(extra)];
  const vals = [d.idParam(a), d.idParam(b), at, ...Object.values(extra)];
  const text = `insert into ${s.table} (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')}) on conflict (${s.a}, ${s.b}) do nothing`;
  return (await runner(exec)(d.numbered(text), vals)) > 0;
}

/** Deletes (a, b); true when a row was removed. */
export async function removePair(exec: Kysely<Database> | RunFn, d: Dialect, s: PairShape, a: string, b: string): Promise<boolean> {
  return (await runner(exec)(d.numbered(`delete from ${s.table} where ${s.a} = ? and ${s.b} = ?`), [d.idParam(a), d.idParam(b)])) > 0;
}

const runner = (exec: Kysely<Database> | RunFn): RunFn => (typeof exec === 'function' ? exec : runnerFor({ db: exec }));

export async function hasPair(db: Kysely<Database>, d: Dialect, s: PairShape, a: string, b: string): Promise<boolean> {
  const r = await sql`select 1 as x from ${sql.table(s.table)} where ${sql.ref(s.a)} = ${d.idParam(a)} and ${sql.ref(s.b)} = ${d.idParam(b)}`.execute(db);
  return r.rows.length > 0;
}

/** An exclusive id window walked newest first (oldest first when ascending), at most `limit` rows. */
export interface IdPageQuery {
  after?: string;
  before?: string;
  ascending: boolean;
  limit: number;
}

/** Ids of the rows of `table` that satisfy `where`, within the window of `w` (tables keyed by a snowflake `id`). */
export async function pageIds(db: Kysely<Database>, d: Dialect, table: 'lists' | 'bookmark_folders' | 'chat_events' | 'notes', where: RawBuilder<unknown>, w: IdPageQuery): Promise<string[]> {
  const after = w.after ? sql` and id > ${d.idParam(w.after)}` : sql``;
  const before = w.before ? sql` and id < ${d.idParam(w.before)}` : sql``;
  const r = await sql<{ id: string | bigint }>`select id from ${sql.table(table)} where ${where}${after}${before} order by id ${sql.raw(w.ascending ? 'asc' : 'desc')} limit ${w.limit}`.execute(db);
  return r.rows.map((row) => str(row.id));
}

/** The viewer's relations to some users beyond follows, by user id. */
export interface ViewerConnections {
  blocking: Set<string>;
  muting: Set<string>;
  requestSent: Set<string>;
  requestReceived: Set<string>;
}
