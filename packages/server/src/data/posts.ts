import { indexPosts } from './search.js';
import { sql, type Insertable, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { ReadFn, RunFn } from '../db/connect.js';
import { counterUpdate } from './counters.js';
import { readThrough, RowCache, type RowCacheLike } from './row-cache.js';
import type { DeferredWrites } from './deferred.js';
import type { Database, PostsTable } from '../db/tables.js';
import type { Dialect } from '../db/dialect.js';
import { bool, json, num, str, strOrNull, toJson, type PostRow } from './rows.js';
import { communityFilter, type CommunityScope } from './communities.js';
import { textHash } from '../db/text-hash.js';

export function postFromDb(r: Selectable<PostsTable>): PostRow {
  return {
    id: str(r.id),
    authorId: str(r.author_id),
    text: r.text,
    createdAt: num(r.created_at),
    conversationId: str(r.conversation_id),
    inReplyToPostId: strOrNull(r.in_reply_to_post_id),
    inReplyToUserId: strOrNull(r.in_reply_to_user_id),
    quotedPostId: strOrNull(r.quoted_post_id),
    repostedPostId: strOrNull(r.reposted_post_id),
    editRootId: str(r.edit_root_id),
    editCount: num(r.edit_count),
    lang: r.lang,
    replySettings: r.reply_settings,
    possiblySensitive: bool(r.possibly_sensitive),
    source: r.source,
    entities: json(r.entities),
    mediaKeys: json(r.media_keys),
    pollId: strOrNull(r.poll_id),
    placeId: r.place_id,
    geoCoordinates: json(r.geo_coordinates),
    noteText: r.note_text,
    noteEntities: json(r.note_entities),
    deleted: bool(r.deleted),
    hidden: bool(r.hidden),
    extras: json<PostRow['extras']>(r.extras ?? null) ?? undefined,
    retweetCount: num(r.retweet_count),
    replyCount: num(r.reply_count),
    likeCount: num(r.like_count),
    quoteCount: num(r.quote_count),
    bookmarkCount: num(r.bookmark_count),
    impressionCount: num(r.impression_count),
  };
}

export function postToDb(p: PostRow, d: Dialect): Insertable<PostsTable> {
  const id = (v: string | null) => (v === null ? null : d.idParam(v));
  return {
    id: d.idParam(p.id),
    author_id: d.idParam(p.authorId),
    text: p.text,
    created_at: p.createdAt,
    conversation_id: d.idParam(p.conversationId),
    in_reply_to_post_id: id(p.inReplyToPostId),
    in_reply_to_user_id: id(p.inReplyToUserId),
    quoted_post_id: id(p.quotedPostId),
    reposted_post_id: id(p.repostedPostId),
    edit_root_id: d.idParam(p.editRootId),
    edit_count: p.editCount,
    lang: p.lang,
    reply_settings: p.replySettings,
    possibly_sensitive: p.possiblySensitive ? 1 : 0,
    source: p.source,
    entities: toJson(p.entities && Object.keys(p.entities).length ? p.entities : null),
    media_keys: toJson(p.mediaKeys),
    poll_id: id(p.pollId),
    place_id: p.placeId,
    geo_coordinates: toJson(p.geoCoordinates),
    note_text: p.noteText,
    note_entities: toJson(p.noteEntities),
    deleted: p.deleted ? 1 : 0,
    hidden: p.hidden ? 1 : 0,
    extras: toJson(p.extras && Object.keys(p.extras).length ? p.extras : null),
    community_id: id(p.extras?.community_id ?? null),
    text_hash: textHash(p.text),
    retweet_count: p.retweetCount,
    reply_count: p.replyCount,
    like_count: p.likeCount,
    quote_count: p.quoteCount,
    bookmark_count: p.bookmarkCount,
    impression_count: p.impressionCount,
  };
}

const POST_ID_COLUMNS = new Set(['id', 'author_id', 'conversation_id', 'in_reply_to_post_id', 'in_reply_to_user_id', 'quoted_post_id', 'reposted_post_id', 'edit_root_id', 'poll_id', 'community_id']);
const POST_COLUMNS = ['id', 'author_id', 'text', 'created_at', 'conversation_id', 'in_reply_to_post_id', 'in_reply_to_user_id', 'quoted_post_id', 'reposted_post_id', 'edit_root_id', 'edit_count', 'lang', 'reply_settings', 'possibly_sensitive', 'source', 'entities', 'media_keys', 'poll_id', 'place_id', 'geo_coordinates', 'note_text', 'note_entities', 'deleted', 'hidden', 'extras', 'community_id', 'text_hash', 'retweet_count', 'reply_count', 'like_count', 'quote_count', 'bookmark_count', 'impression_count'];
const POST_ROW = `(${POST_COLUMNS.map(() => '?').join(', ')})`;

/** The posts insert, hand-written (write path, bulk loads): its head and one row of placeholders. */
export const POST_INSERT = { head: `insert into posts (${POST_COLUMNS.join(', ')})`, row: POST_ROW } as const;

/**
 * Appends the values POST_INSERT binds for each post, as the dialect binds them, to `out`: postToDb's properties, in
 * their order, which is POST_COLUMNS' (data/posts.test.ts checks it). Walking the row's own properties is several
 * times cheaper than looking each column up by name (the seed makes ten million rows).
 */
export function postValues(d: Dialect, posts: readonly PostRow[], out: unknown[]): unknown[] {
  for (const p of posts) {
    const row = postToDb(p, d);
    for (const c in row) out.push(row[c as keyof typeof row]);
  }
  return out;
}

/** The columns POST_INSERT writes, in order. */
export const postInsertColumns = (): readonly string[] => POST_COLUMNS;
const postColumnsCache = new Map<Dialect, string>();
function postColumns(d: Dialect): string {
  let s = postColumnsCache.get(d);
  if (!s) postColumnsCache.set(d, (s = POST_COLUMNS.map((c) => (POST_ID_COLUMNS.has(c) ? d.textId(c) : c)).join(', ')));
  return s;
}

const DUPLICATE_WHERE = 'author_id = ? and text_hash = ? and id > ? and text = ? and deleted = 0 and reposted_post_id is null';
const DUPLICATE_SQL = `select 1 as x from posts where ${DUPLICATE_WHERE} limit 1`;
const DUPLICATE_EXCEPT_SQL = `select 1 as x from posts where ${DUPLICATE_WHERE} and edit_root_id <> ? limit 1`;

export type PostCounter = 'retweet_count' | 'reply_count' | 'like_count' | 'quote_count' | 'bookmark_count' | 'impression_count';

/** An id window, all bounds exclusive: ids in (after, before). */
export interface IdWindow {
  after?: string;
  before?: string;
}

export interface AuthorTimelineQuery extends IdWindow {
  authorId: string;
  /** The Community posts the viewer may read (rules' `communityScope`); absent: all of them (the author's own view). */
  communities?: CommunityScope;
  excludeReplies?: boolean;
  excludeRetweets?: boolean;
  /** Newest first by default; oldest first walks backwards for previous_token pages. */
  ascending?: boolean;
  limit: number;
}

export class Posts {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
    private readonly read: ReadFn,
    private readonly run: RunFn,
    private readonly cache: RowCacheLike<PostRow> = new RowCache(0),
    /** Inside a transaction: where search documents and counter changes wait for the batch's flush. */
    private readonly deferred: DeferredWrites | null = null,
  ) {}

  /** Every row for these ids, deleted ones included (rules/ decides what a viewer may see). */
  byIds(ids: readonly string[]): Promise<Map<string, PostRow>> {
    return readThrough(this.cache, ids, async (unique) => {
      // The hottest query of every post read: compiled by hand, once per arity (see db/connect.ts statement cache).
      const rows = await this.read<Selectable<PostsTable>>(
        `select ${postColumns(this.d)} from posts where id in (${this.d.placeholders(unique.length)})`,
        unique.map((i) => this.d.idParam(i)),
      );
      return rows.map((r) => {
        const row = postFromDb(r);
        this.cache.set(row.id, row);
        return row;
      });
    });
  }

  /** Ids of a user's live posts in the window, newest first (or oldest first when ascending). */
  async idsByAuthor(q: AuthorTimelineQuery): Promise<string[]> {
    let s = this.db
      .selectFrom('posts')
      .select('id')
      .where('author_id', '=', this.d.idParam(q.authorId))
      .where('deleted', '=', 0)
      .where('superseded', '=', 0);
    if (q.communities) s = s.where(communityFilter(this.d, q.communities, 'posts'));
    if (q.after) s = s.where('id', '>', this.d.idParam(q.after));
    if (q.before) s = s.where('id', '<', this.d.idParam(q.before));
    if (q.excludeReplies) s = s.where('in_reply_to_post_id', 'is', null);
    if (q.excludeRetweets) s = s.where('reposted_post_id', 'is', null);
    const rows = await s.orderBy('id', q.ascending ? 'asc' : 'desc').limit(q.limit).execute();
    return rows.map((r) => str(r.id));
  }

  /** Live quote posts of a post, newest first. */
  async idsQuoting(postId: string, w: IdWindow & { limit: number; ascending?: boolean; excludeRetweets?: boolean; excludeReplies?: boolean }): Promise<string[]> {
    let s = this.db
      .selectFrom('posts')
      .select('id')
      .where('quoted_post_id', '=', this.d.idParam(postId))
      .where('deleted', '=', 0)
      .where('superseded', '=', 0);
    if (w.after) s = s.where('id', '>', this.d.idParam(w.after));
    if (w.before) s = s.where('id', '<', this.d.idParam(w.before));
    if (w.excludeReplies) s = s.where('in_reply_to_post_id', 'is', null);
    const rows = await s.orderBy('id', w.ascending ? 'asc' : 'desc').limit(w.limit).execute();
    return rows.map((r) => str(r.id));
  }

  /** Live reposts of a post as (repost id, reposter id), newest first. */
  async repostsOf(postId: string, w: IdWindow & { limit: number; ascending?: boolean }): Promise<{ id: string; authorId: string }[]> {
    let s = this.db
      .selectFrom('posts')
      .select(['id', 'author_id'])
      .where('reposted_post_id', '=', this.d.idParam(postId))
      .where('deleted', '=', 0);
    if (w.after) s = s.where('id', '>', this.d.idParam(w.after));
    if (w.before) s = s.where('id', '<', this.d.idParam(w.before));
    const rows = await s.orderBy('id', w.ascending ? 'asc' : 'desc').limit(w.limit).execute();
    return rows.map((r) => ({ id: str(r.id), authorId: str(r.author_id) }));
  }

  /** Ids of every version of the edit chains rooted at these ids, oldest first per root. */
  async editChains(rootIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (rootIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('posts')
      .select(['id', 'edit_root_id'])
      .where('edit_root_id', 'in', [...new Set(rootIds)].map((i) => this.d.idParam(i)))
      .orderBy('id', 'asc')
      .execute();
    for (const r of rows) {
      const root = str(r.edit_root_id);
      let list = out.get(root);
      if (!list) out.set(root, (list = []));
      list.push(str(r.id));
    }
    return out;
  }

  /**
   * Adds to a post's public counters atomically (never below zero) and evicts it from the row cache. Every
   * counter change goes through here so counts stay exact under concurrency.
   */
  async adjustCounters(postId: string, deltas: Partial<Record<PostCounter, number>>): Promise<void> {
    if (this.deferred) {
      await this.deferred.counter('posts', postId, deltas);
      this.cache.delete(postId);
      return;
    }
    const u = counterUpdate(this.d, 'posts', postId, deltas);
    if (!u) return;
    await this.run(u.text, u.params);
    this.cache.delete(postId);
  }

  async insertOne(post: PostRow): Promise<void> {
    await this.insertMany([post]);
  }

  /**
   * Whether the author has a live post above `sinceId` (the duplicate-content window) with exactly this stored
   * text, ignoring the versions of `exceptChain` (an edit may keep its text). The text hash's index finds the few
   * candidates, so the check costs the same for an author with millions of posts.
   */
  async hasDuplicate(authorId: string, text: string, sinceId: string, exceptChain?: string): Promise<boolean> {
    // Hand-written: run once per post created.
    const params: unknown[] = [this.d.idParam(authorId), textHash(text), this.d.idParam(sinceId), text];
    if (exceptChain) params.push(this.d.idParam(exceptChain));
    const rows = await this.read(this.d.numbered(exceptChain ? DUPLICATE_EXCEPT_SQL : DUPLICATE_SQL), params);
    return rows.length > 0;
  }

  /** Whether `authorId` has a live post quoting any post of `quotedAuthorId` (the "quoted by" engagement). */
  async hasQuoted(authorId: string, quotedAuthorId: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('posts as p')
      .innerJoin('posts as q', 'q.id', 'p.quoted_post_id')
      .select('p.id')
      .where('p.author_id', '=', this.d.idParam(authorId))
      .where('p.deleted', '=', 0)
      .where('q.author_id', '=', this.d.idParam(quotedAuthorId))
      .limit(1)
      .executeTakeFirst();
    return r !== undefined;
  }

  /** Marks these posts deleted and evicts them from the row cache. */
  async markDeleted(ids: readonly string[]): Promise<void> {
    if (!ids.length) return;
    await this.db
      .updateTable('posts')
      .set({ deleted: 1 })
      .where('id', 'in', ids.map((i) => this.d.idParam(i)))
      .execute();
    for (const id of ids) this.cache.delete(id);
  }

  /** Live reposts of any of these posts, as (repost id, reposter id). */
  async liveRepostsOfAny(postIds: readonly string[]): Promise<{ id: string; authorId: string }[]> {
    if (!postIds.length) return [];
    const rows = await this.db
      .selectFrom('posts')
      .select(['id', 'author_id'])
      .where('reposted_post_id', 'in', postIds.map((i) => this.d.idParam(i)))
      .where('deleted', '=', 0)
      .execute();
    return rows.map((r) => ({ id: str(r.id), authorId: str(r.author_id) }));
  }

  async setHidden(postId: string, hidden: boolean): Promise<void> {
    await this.db
      .updateTable('posts')
      .set({ hidden: hidden ? 1 : 0 })
      .where('id', '=', this.d.idParam(postId))
      .execute();
    this.cache.delete(postId);
  }

  /** One more edit on the chain rooted at `rootId` (edit_count lives on the chain's first version). */
  /** The version an edit replaced: still found by id, gone from every list. */
  async markSuperseded(id: string): Promise<void> {
    await this.db.updateTable('posts').set({ superseded: 1 }).where('id', '=', this.d.idParam(id)).execute();
    this.cache.delete(id);
  }

  async bumpEditCount(rootId: string): Promise<void> {
    await this.db
      .updateTable('posts')
      .set({ edit_count: sql`edit_count + 1` })
      .where('id', '=', this.d.idParam(rootId))
      .execute();
    this.cache.delete(rootId);
  }

  async insertMany(posts: readonly PostRow[]): Promise<void> {
    if (posts.length === 0) return;
    // Hand-written multi-row insert (a prepared statement per row count): no query builder on the write path.
    const chunk = Math.max(1, Math.floor(this.d.maxParams / POST_COLUMNS.length));
    for (let i = 0; i < posts.length; i += chunk) {
      const part = posts.slice(i, i + chunk);
      const params: unknown[] = [];
      const rows: Insertable<PostsTable>[] = [];
      for (const p of part) {
        const row = postToDb(p, this.d);
        rows.push(row);
        for (const c of POST_COLUMNS) params.push((row as Record<string, unknown>)[c]);
      }
      await this.run(this.d.numbered(`${POST_INSERT.head} values ${Array(part.length).fill(POST_ROW).join(', ')}`), params);
      // Cached as stored (the row read back would be exactly this), so the first reads of the new post need no query.
      for (const row of rows) this.cache.prime(String(row.id), () => postFromDb({ ...row, superseded: 0 } as Selectable<PostsTable>));
    }
    if (this.deferred) await this.deferred.indexPost(posts);
    else await indexPosts(this.db, this.d, posts, this.run);
  }

  /** Marks a live repost deleted (unrepost); true only for the call that changed it, so counters move once. */
  async markRepostDeleted(id: string): Promise<boolean> {
    const r = await this.db
      .updateTable('posts')
      .set({ deleted: 1 })
      .where('id', '=', this.d.idParam(id))
      .where('reposted_post_id', 'is not', null)
      .where('deleted', '=', 0)
      .executeTakeFirst();
    this.cache.delete(id);
    return Number(r.numUpdatedRows) > 0;
  }

  async count(): Promise<number> {
    const r = await this.db.selectFrom('posts').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return num(r.n);
  }
}
