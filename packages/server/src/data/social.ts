import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { Dialect } from '../db/dialect.js';
import type { RunFn } from '../db/connect.js';
import { num, str, strOrNull } from './rows.js';
import { addPair, hasPair, pageIds, pageRelation, removePair, type Edge, type EdgePageQuery, type IdPageQuery, type PairShape, type PairTable } from './edges.js';

export interface BookmarkFolderRow {
  id: string;
  userId: string;
  name: string;
  createdAt: number;
}

const LIKES: PairShape = { table: 'likes', a: 'user_id', b: 'post_id' };
const FOLLOWS: PairShape = { table: 'follows', a: 'follower_id', b: 'followee_id' };
const BLOCKS: PairShape = { table: 'blocks', a: 'blocker_id', b: 'blocked_id' };
const MUTES: PairShape = { table: 'mutes', a: 'muter_id', b: 'muted_id' };
const REQUESTS: PairShape = { table: 'follow_requests', a: 'requester_id', b: 'target_id' };
const BOOKMARKS: PairShape = { table: 'bookmarks', a: 'user_id', b: 'post_id' };
const DM_BLOCKS: PairShape = { table: 'dm_blocks', a: 'blocker_id', b: 'blocked_id' };

/**
 * The social write path: likes, bookmarks (+ folders), follows, follow requests, blocks, DM blocks and mutes as edges.
 * Every write reports whether it changed a row, so callers adjust counters only for real changes (counters
 * themselves live in posts/users `adjustCounters`). Lists walk newest first by (created_at, other id) like
 * data/edges.ts.
 */
export class Social {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
    private readonly run: RunFn,
  ) {}

  private add(s: PairShape, a: string, b: string, at: number, extra: Readonly<Record<string, string | bigint | null>> = {}): Promise<boolean> {
    return addPair(this.run, this.d, s, a, b, at, extra);
  }

  private remove(s: PairShape, a: string, b: string): Promise<boolean> {
    return removePair(this.run, this.d, s, a, b);
  }

  private has(s: PairShape, a: string, b: string): Promise<boolean> {
    return hasPair(this.db, this.d, s, a, b);
  }

  private page(table: PairTable, anchorCol: string, otherCol: string, anchor: string, q: EdgePageQuery): Promise<Edge[]> {
    return pageRelation(this.db, this.d, table, anchorCol, otherCol, anchor, q);
  }

  // Likes
  like(userId: string, postId: string, at: number) {
    return this.add(LIKES, userId, postId, at);
  }
  unlike(userId: string, postId: string) {
    return this.remove(LIKES, userId, postId);
  }
  async likeCountOf(postId: string): Promise<number> {
    const r = await this.db.selectFrom('likes').select((e) => e.fn.countAll().as('n')).where('post_id', '=', this.d.idParam(postId)).executeTakeFirstOrThrow();
    return num(r.n);
  }

  // Follows and follow requests
  follow(followerId: string, followeeId: string, at: number) {
    return this.add(FOLLOWS, followerId, followeeId, at);
  }
  unfollow(followerId: string, followeeId: string) {
    return this.remove(FOLLOWS, followerId, followeeId);
  }
  isFollowing(followerId: string, followeeId: string) {
    return this.has(FOLLOWS, followerId, followeeId);
  }
  requestFollow(requesterId: string, targetId: string, at: number) {
    return this.add(REQUESTS, requesterId, targetId, at);
  }
  withdrawFollowRequest(requesterId: string, targetId: string) {
    return this.remove(REQUESTS, requesterId, targetId);
  }
  hasFollowRequest(requesterId: string, targetId: string) {
    return this.has(REQUESTS, requesterId, targetId);
  }
  async followCounts(userId: string): Promise<{ followers: number; following: number }> {
    const count = async (col: 'followee_id' | 'follower_id') =>
      num((await this.db.selectFrom('follows').select((e) => e.fn.countAll().as('n')).where(col, '=', this.d.idParam(userId)).executeTakeFirstOrThrow()).n);
    return { followers: await count('followee_id'), following: await count('follower_id') };
  }

  // Blocks
  block(blockerId: string, blockedId: string, at: number) {
    return this.add(BLOCKS, blockerId, blockedId, at);
  }
  unblock(blockerId: string, blockedId: string) {
    return this.remove(BLOCKS, blockerId, blockedId);
  }
  isBlocking(blockerId: string, blockedId: string) {
    return this.has(BLOCKS, blockerId, blockedId);
  }
  /** True when either user blocks the other. */
  async blockedEitherWay(a: string, b: string): Promise<boolean> {
    const r = await this.db
      .selectFrom('blocks')
      .select('blocker_id')
      .where((e) =>
        e.or([
          e.and([e('blocker_id', '=', this.d.idParam(a)), e('blocked_id', '=', this.d.idParam(b))]),
          e.and([e('blocker_id', '=', this.d.idParam(b)), e('blocked_id', '=', this.d.idParam(a))]),
        ]),
      )
      .executeTakeFirst();
    return r !== undefined;
  }
  blocking(userId: string, q: EdgePageQuery) {
    return this.page('blocks', 'blocker_id', 'blocked_id', userId, q);
  }

  // Blocks of Direct Messages only (`POST /2/users/:id/dm/block`): the blocked user may not message the blocker.
  dmBlock(blockerId: string, blockedId: string, at: number) {
    return this.add(DM_BLOCKS, blockerId, blockedId, at);
  }
  dmUnblock(blockerId: string, blockedId: string) {
    return this.remove(DM_BLOCKS, blockerId, blockedId);
  }
  isDmBlocking(blockerId: string, blockedId: string) {
    return this.has(DM_BLOCKS, blockerId, blockedId);
  }
  /** Which of `blockerIds` block Direct Messages from `blockedId` (one query). */
  async dmBlockersOf(blockedId: string, blockerIds: readonly string[]): Promise<Set<string>> {
    const ids = [...new Set(blockerIds)];
    if (!ids.length) return new Set();
    const rows = await this.db
      .selectFrom('dm_blocks')
      .select('blocker_id')
      .where('blocked_id', '=', this.d.idParam(blockedId))
      .where('blocker_id', 'in', ids.map((i) => this.d.idParam(i)))
      .execute();
    return new Set(rows.map((r) => str(r.blocker_id)));
  }

  // Mutes
  mute(muterId: string, mutedId: string, at: number) {
    return this.add(MUTES, muterId, mutedId, at);
  }
  unmute(muterId: string, mutedId: string) {
    return this.remove(MUTES, muterId, mutedId);
  }
  muting(userId: string, q: EdgePageQuery) {
    return this.page('mutes', 'muter_id', 'muted_id', userId, q);
  }

  // Bookmarks and folders
  /** Adds a bookmark (true when new); an existing bookmark moves to `folderId` when one is given. */
  async bookmark(userId: string, postId: string, at: number, folderId: string | null): Promise<boolean> {
    const folder = folderId === null ? null : this.d.idParam(folderId);
    if (await this.add(BOOKMARKS, userId, postId, at, { folder_id: folder })) return true;
    if (folder !== null) {
      await this.db
        .updateTable('bookmarks')
        .set({ folder_id: folder })
        .where('user_id', '=', this.d.idParam(userId))
        .where('post_id', '=', this.d.idParam(postId))
        .execute();
    }
    return false;
  }
  unbookmark(userId: string, postId: string) {
    return this.remove(BOOKMARKS, userId, postId);
  }
  bookmarks(userId: string, q: EdgePageQuery) {
    return this.page('bookmarks', 'user_id', 'post_id', userId, q);
  }
  bookmarksInFolder(folderId: string, q: EdgePageQuery) {
    return this.page('bookmarks', 'folder_id', 'post_id', folderId, q);
  }
  async createFolder(f: BookmarkFolderRow): Promise<void> {
    await this.db
      .insertInto('bookmark_folders')
      .values({ id: this.d.idParam(f.id), user_id: this.d.idParam(f.userId), name: f.name, created_at: f.createdAt })
      .execute();
  }
  async folder(folderId: string): Promise<BookmarkFolderRow | undefined> {
    const r = await this.db
      .selectFrom('bookmark_folders')
      .select(['id', 'user_id', 'name', 'created_at'])
      .where('id', '=', this.d.idParam(folderId))
      .executeTakeFirst();
    return r && { id: str(r.id), userId: str(r.user_id), name: r.name, createdAt: num(r.created_at) };
  }
  /** A user's folder ids in the exclusive id window, newest first (or oldest first when ascending). */
  folderIds(userId: string, w: IdPageQuery): Promise<string[]> {
    return pageIds(this.db, this.d, 'bookmark_folders', sql`user_id = ${this.d.idParam(userId)}`, w);
  }
  async foldersByIds(ids: readonly string[]): Promise<Map<string, BookmarkFolderRow>> {
    const out = new Map<string, BookmarkFolderRow>();
    if (!ids.length) return out;
    const rows = await this.db
      .selectFrom('bookmark_folders')
      .select(['id', 'user_id', 'name', 'created_at'])
      .where('id', 'in', ids.map((i) => this.d.idParam(i)))
      .execute();
    for (const r of rows) out.set(str(r.id), { id: str(r.id), userId: str(r.user_id), name: r.name, createdAt: num(r.created_at) });
    return out;
  }

  // Reposts (posts rows with reposted_post_id)
  /** The user's live repost of a post, if any. */
  async liveRepostBy(userId: string, postId: string): Promise<string | null> {
    const r = await this.db
      .selectFrom('posts')
      .select('id')
      .where('author_id', '=', this.d.idParam(userId))
      .where('reposted_post_id', '=', this.d.idParam(postId))
      .where('deleted', '=', 0)
      .executeTakeFirst();
    return strOrNull(r?.id);
  }
  /** Live reposts of the user's posts, by repost id, newest first (or oldest first when ascending). */
  async repostsOfAuthor(authorId: string, w: { after?: string; before?: string; ascending: boolean; limit: number }): Promise<string[]> {
    let s = this.db
      .selectFrom('posts as r')
      .innerJoin('posts as o', 'o.id', 'r.reposted_post_id')
      .select('r.id as id')
      .where('o.author_id', '=', this.d.idParam(authorId))
      .where('r.deleted', '=', 0)
      .where('r.author_id', '<>', this.d.idParam(authorId));
    if (w.after) s = s.where('r.id', '>', this.d.idParam(w.after));
    if (w.before) s = s.where('r.id', '<', this.d.idParam(w.before));
    const rows = await s.orderBy('r.id', w.ascending ? 'asc' : 'desc').limit(w.limit).execute();
    return rows.map((r) => str(r.id));
  }

  /**
   * Serialises writes of one user inside a transaction (a row lock on PostgreSQL; SQLite transactions are
   * already serial). Used where no unique key can make a write idempotent (reposts are posts rows).
   */
  async lockUser(userId: string): Promise<void> {
    if (this.d.serialTransactions) return;
    await this.run(this.d.numbered('update users set tweet_count = tweet_count where id = ?'), [this.d.idParam(userId)]);
  }
}
