import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { ReadFn, RunFn } from '../db/connect.js';
import { counterChanges, counterUpdate } from './counters.js';
import { readThrough, RowCache, type RowCacheLike } from './row-cache.js';
import type { DeferredWrites } from './deferred.js';
import type { Database, UsersTable } from '../db/tables.js';
import type { Dialect } from '../db/dialect.js';
import { bool, json, num, str, strOrNull, toJson, type UserRow } from './rows.js';

export function userFromDb(r: Selectable<UsersTable>): UserRow {
  return {
    id: str(r.id),
    username: r.username,
    name: r.name,
    description: r.description,
    location: r.location,
    url: r.url,
    profileImageUrl: r.profile_image_url,
    profileBannerUrl: r.profile_banner_url,
    protected: bool(r.protected),
    verified: bool(r.verified),
    verifiedType: r.verified_type,
    suspended: bool(r.suspended),
    createdAt: num(r.created_at),
    pinnedPostId: strOrNull(r.pinned_post_id),
    mostRecentPostId: strOrNull(r.most_recent_post_id),
    followersCount: num(r.followers_count),
    followingCount: num(r.following_count),
    tweetCount: num(r.tweet_count),
    listedCount: num(r.listed_count),
    likeCount: num(r.like_count),
    entities: json(r.entities),
    withheld: json(r.withheld),
  };
}

export function userToDb(u: UserRow, d: Dialect): UsersTable {
  return {
    id: d.idParam(u.id),
    username: u.username,
    username_lower: u.username.toLowerCase(),
    name: u.name,
    description: u.description,
    location: u.location,
    url: u.url,
    profile_image_url: u.profileImageUrl,
    profile_banner_url: u.profileBannerUrl,
    protected: u.protected ? 1 : 0,
    verified: u.verified ? 1 : 0,
    verified_type: u.verifiedType,
    suspended: u.suspended ? 1 : 0,
    created_at: u.createdAt,
    pinned_post_id: u.pinnedPostId === null ? null : d.idParam(u.pinnedPostId),
    most_recent_post_id: u.mostRecentPostId === null ? null : d.idParam(u.mostRecentPostId),
    followers_count: u.followersCount,
    following_count: u.followingCount,
    tweet_count: u.tweetCount,
    listed_count: u.listedCount,
    like_count: u.likeCount,
    entities: toJson(u.entities),
    withheld: toJson(u.withheld),
  };
}

const USER_ID_COLUMNS = new Set(['id', 'pinned_post_id', 'most_recent_post_id']);
const USER_COLUMNS = ['id', 'username', 'username_lower', 'name', 'description', 'location', 'url', 'profile_image_url', 'profile_banner_url', 'protected', 'verified', 'verified_type', 'suspended', 'created_at', 'pinned_post_id', 'most_recent_post_id', 'followers_count', 'following_count', 'tweet_count', 'listed_count', 'like_count', 'entities', 'withheld'];
const userColumnsCache = new Map<Dialect, string>();
function userColumns(d: Dialect): string {
  let s = userColumnsCache.get(d);
  if (!s) userColumnsCache.set(d, (s = USER_COLUMNS.map((c) => (USER_ID_COLUMNS.has(c) ? d.textId(c) : c)).join(', ')));
  return s;
}

export type UserCounter = 'followers_count' | 'following_count' | 'tweet_count' | 'listed_count' | 'like_count';

export class Users {
  /** Lower-cased username → id, for cached lookups by name. */
  private readonly names = new Map<string, string>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
    private readonly read: ReadFn,
    private readonly run: RunFn,
    private readonly cache: RowCacheLike<UserRow> = new RowCache(0),
    /** Inside a transaction: where counter changes wait for the batch's flush. */
    private readonly deferred: DeferredWrites | null = null,
  ) {}

  byIds(ids: readonly string[]): Promise<Map<string, UserRow>> {
    return readThrough(this.cache, ids, async (unique) => {
      const rows = await this.read<Selectable<UsersTable>>(`select ${userColumns(this.d)} from users where id in (${this.d.placeholders(unique.length)})`, unique.map((i) => this.d.idParam(i)));
      return rows.map((r) => this.remember(userFromDb(r)));
    });
  }

  /** The first `limit` accounts that are not suspended, oldest first (the console's user pickers). */
  async list(limit: number): Promise<UserRow[]> {
    const rows = await this.read<Selectable<UsersTable>>(`select ${userColumns(this.d)} from users where suspended = ${this.d.placeholders(1)} order by id limit ${Math.trunc(limit)}`, [0]);
    return rows.map((r) => userFromDb(r));
  }

  /** Keyed by lower-cased username. */
  async byUsernames(names: readonly string[]): Promise<Map<string, UserRow>> {
    const out = new Map<string, UserRow>();
    if (names.length === 0) return out;
    const unique: string[] = [];
    for (const n of new Set(names.map((x) => x.toLowerCase()))) {
      const id = this.names.get(n);
      const hit = id === undefined ? undefined : this.cache.get(id);
      if (hit && hit.username.toLowerCase() === n) out.set(n, hit);
      else unique.push(n);
    }
    if (unique.length === 0) return out;
    const rows = await this.read<Selectable<UsersTable>>(`select ${userColumns(this.d)} from users where username_lower in (${this.d.placeholders(unique.length)})`, unique);
    for (const r of rows) out.set(r.username_lower, this.remember(userFromDb(r)));
    return out;
  }

  private remember(u: UserRow): UserRow {
    if (this.cache.enabled) {
      this.cache.set(u.id, u);
      if (this.names.size > 100_000) this.names.clear();
      this.names.set(u.username.toLowerCase(), u.id);
    }
    return u;
  }

  /** Adds to a user's public counters atomically (never below zero) and evicts the user from the row cache. */
  async adjustCounters(userId: string, deltas: Partial<Record<UserCounter, number>>): Promise<void> {
    if (this.deferred) {
      await this.deferred.counter('users', userId, deltas);
      this.cache.delete(userId);
      return;
    }
    const u = counterUpdate(this.d, 'users', userId, deltas);
    if (!u) return;
    await this.run(u.text, u.params);
    this.cache.delete(userId);
  }

  /** `adjustCounters` for many users in one statement per chunk (e.g. a list's members when the list goes private). */
  async adjustCountersOf(userIds: readonly string[], deltas: Partial<Record<UserCounter, number>>): Promise<void> {
    if (this.deferred) {
      // Held with every other counter change of the transaction, so changes of one counter all apply as one sum.
      for (const u of userIds) {
        await this.deferred.counter('users', u, deltas);
        this.cache.delete(u);
      }
      return;
    }
    const set = counterChanges(this.d, deltas);
    if (!set || !userIds.length) return;
    const chunk = this.d.maxParams - Object.keys(set).length;
    for (let i = 0; i < userIds.length; i += chunk) {
      const part = userIds.slice(i, i + chunk);
      const where = part.length === 1 ? sql<boolean>`id = ${this.d.idParam(part[0]!)}` : sql<boolean>`id in (${sql.join(part.map((u) => this.d.idParam(u)))})`;
      await this.db.updateTable('users').set(set).where(where).execute();
      for (const u of part) this.cache.delete(u);
    }
  }

  /** A new post by the user: tweet_count + 1 and most_recent_post_id, in one statement. */
  async recordNewPost(userId: string, postId: string): Promise<void> {
    await this.run(this.d.numbered('update users set tweet_count = tweet_count + 1, most_recent_post_id = ? where id = ?'), [this.d.idParam(postId), this.d.idParam(userId)]);
    this.cache.delete(userId);
  }

  async setMostRecentPost(userId: string, postId: string | null): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ most_recent_post_id: postId === null ? null : this.d.idParam(postId) })
      .where('id', '=', this.d.idParam(userId))
      .execute();
    this.cache.delete(userId);
  }

  async insertMany(users: readonly UserRow[]): Promise<void> {
    if (users.length === 0) return;
    for (const u of users) this.cache.delete(u.id);
    const perRow = 23;
    const chunk = Math.max(1, Math.floor(this.d.maxParams / perRow));
    for (let i = 0; i < users.length; i += chunk) {
      await this.db
        .insertInto('users')
        .values(users.slice(i, i + chunk).map((u) => userToDb(u, this.d)))
        .execute();
    }
  }

  /** Every account that is not suspended, by id: what seeds of later aggregates (Spaces, Communities) draw from. */
  async roster(): Promise<{ id: string; verifiedType: string; createdAt: number; followersCount: number }[]> {
    const rows = await this.db.selectFrom('users').select(['id', 'verified_type', 'created_at', 'followers_count']).where('suspended', '=', 0).orderBy('id').execute();
    return rows.map((r) => ({ id: str(r.id), verifiedType: r.verified_type, createdAt: num(r.created_at), followersCount: num(r.followers_count) }));
  }

  /**
   * Accounts (not suspended) whose username or name contains every word, case-folded; at most `limit`, most
   * followed first (user search ranks these further).
   */
  async matching(words: readonly string[], limit: number): Promise<UserRow[]> {
    if (!words.length) return [];
    let q = this.db.selectFrom('users').selectAll().where('suspended', '=', 0);
    for (const w of words) {
      const like = `%${w.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
      q = q.where(sql<boolean>`(username_lower like ${like} escape '\\' or lower(name) like ${like} escape '\\')`);
    }
    const rows = await q.orderBy('followers_count', 'desc').orderBy('id').limit(limit).execute();
    return rows.map(userFromDb);
  }

  async count(): Promise<number> {
    const r = await this.db.selectFrom('users').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return num(r.n);
  }
}
