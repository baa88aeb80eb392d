import type { Kysely } from 'kysely';
import type { ReadFn } from '../db/connect.js';
import type { Database } from '../db/tables.js';
import type { Dialect } from '../db/dialect.js';
import { str } from './rows.js';
import type { IdWindow } from './posts.js';
import { communityCondition, type CommunityScope } from './communities.js';

export interface TimelinePageQuery extends IdWindow {
  /** Newest first by default; oldest first walks backwards for previous_token pages. */
  ascending?: boolean;
  limit: number;
}

export interface HomeQuery extends TimelinePageQuery {
  /** Authors whose posts make the home timeline (rules' `homeTimelineAuthors`). */
  authors: readonly string[];
  /** The Community posts the viewer may read (rules' `communityScope`). */
  communities: CommunityScope;
  excludeReplies?: boolean;
  excludeRetweets?: boolean;
}

/**
 * Up to this many authors, the home query seeks each author's (author_id, id) index range and merges; beyond it,
 * it walks posts newest first by id and keeps the authors' rows (the walk stops as soon as the page is full, so
 * its cost is page size ÷ the share of recent posts those authors wrote).
 */
const PER_AUTHOR_MAX = 200;

/**
 * Timelines: mentions of a user and the home timeline; plus the block relations visibility needs.
 * Ids in, ids out; every query is a keyset walk over an exclusive id window.
 */
export class Timelines {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
    private readonly read: ReadFn,
  ) {}

  /** Ids of live posts mentioning the user in the window, newest first (oldest first when ascending). */
  async mentionIds(userId: string, q: TimelinePageQuery): Promise<string[]> {
    const params: unknown[] = [this.d.idParam(userId)];
    let where = 'm.user_id = ?';
    if (q.after) {
      params.push(this.d.idParam(q.after));
      where += ' and m.post_id > ?';
    }
    if (q.before) {
      params.push(this.d.idParam(q.before));
      where += ' and m.post_id < ?';
    }
    params.push(q.limit);
    const rows = await this.query<{ post_id: unknown }>(
      `select ${this.d.textId('post_id')} from mentions m join posts p on p.id = m.post_id` +
        ` where ${where} and p.deleted = 0 and p.superseded = 0 order by m.post_id ${q.ascending ? 'asc' : 'desc'} limit ?`,
      params,
    );
    return rows.map((r) => str(r.post_id));
  }

  /**
   * The id of the `rank`-th most recent live post mentioning the user (1-based), or undefined when there are
   * fewer: the floor of the mentions volume cap.
   */
  async mentionFloor(userId: string, rank: number): Promise<string | undefined> {
    const rows = await this.query<{ post_id: unknown }>(
      `select ${this.d.textId('post_id')} from mentions m join posts p on p.id = m.post_id` +
        ' where m.user_id = ? and p.deleted = 0 and p.superseded = 0 order by m.post_id desc limit 1 offset ?',
      [this.d.idParam(userId), rank - 1],
    );
    return rows[0] ? str(rows[0].post_id) : undefined;
  }

  /**
   * The accounts a user follows, mutes, and blocks or is blocked by: what the home timeline's authors are
   * chosen from (rules/ decides which).
   */
  async viewerGraph(userId: string): Promise<{ following: string[]; muted: Set<string>; blocked: Set<string> }> {
    const me = this.d.idParam(userId);
    const [follows, mutes, blocks] = await Promise.all([
      this.query<{ followee_id: unknown }>(`select ${this.d.textId('followee_id')} from follows where follower_id = ?`, [me]),
      this.query<{ muted_id: unknown }>(`select ${this.d.textId('muted_id')} from mutes where muter_id = ?`, [me]),
      this.query<{ blocker_id: unknown; blocked_id: unknown }>(
        `select ${this.d.textId('blocker_id')}, ${this.d.textId('blocked_id')} from blocks where blocker_id = ? or blocked_id = ?`,
        [me, me],
      ),
    ]);
    const blocked = new Set<string>();
    for (const r of blocks) {
      const a = str(r.blocker_id);
      blocked.add(a === userId ? str(r.blocked_id) : a);
    }
    return { following: follows.map((r) => str(r.followee_id)), muted: new Set(mutes.map((r) => str(r.muted_id))), blocked };
  }

  /**
   * Ids of live posts by these authors in the window, newest first (oldest first when ascending).
   * `offset` skips that many matches first (the volume-cap floor uses it).
   */
  async homeIds(q: HomeQuery & { offset?: number }): Promise<string[]> {
    if (q.authors.length === 0) return [];
    const params: unknown[] = q.authors.map((a) => this.d.idParam(a));
    // Few authors: seek each one's (author_id, id) range. Many: unary plus keeps the planner off the author index,
    // so the walk follows the primary key in id order and stops at the limit instead of gathering every row of
    // every author first.
    const perAuthor = q.authors.length <= PER_AUTHOR_MAX;
    let where = `${perAuthor ? 'author_id' : '+author_id'} in (${q.authors.map(() => '?').join(',')}) and deleted = 0 and superseded = 0`;
    const scope = communityCondition(this.d, q.communities, '');
    where += ` and ${scope.sql}`;
    params.push(...scope.params);
    if (q.after) {
      params.push(this.d.idParam(q.after));
      where += ' and id > ?';
    }
    if (q.before) {
      params.push(this.d.idParam(q.before));
      where += ' and id < ?';
    }
    const plus = perAuthor ? '' : '+';
    if (q.excludeReplies) where += ` and ${plus}in_reply_to_post_id is null`;
    if (q.excludeRetweets) where += ` and ${plus}reposted_post_id is null`;
    params.push(q.limit);
    let tail = 'limit ?';
    if (q.offset) {
      params.push(q.offset);
      tail += ' offset ?';
    }
    const rows = await this.query<{ id: unknown }>(
      // `posts.id`, not `id`: the select list's text alias would win and force a sort of the whole window.
      `select ${this.d.textId('id')} from posts where ${where} order by posts.id ${q.ascending ? 'asc' : 'desc'} ${tail}`,
      params,
    );
    return rows.map((r) => str(r.id));
  }

  /** Which of `userIds` block the viewer or are blocked by the viewer (one query, both directions). */
  async blockedEitherWay(viewerId: string, userIds: Iterable<string>): Promise<Set<string>> {
    const out = new Set<string>();
    const others = [...new Set(userIds)].filter((u) => u !== viewerId);
    if (others.length === 0) return out;
    const v = this.d.idParam(viewerId);
    const ids = others.map((u) => this.d.idParam(u));
    const list = others.map(() => '?').join(',');
    const rows = await this.query<{ blocker_id: unknown; blocked_id: unknown }>(
      `select ${this.d.textId('blocker_id')}, ${this.d.textId('blocked_id')} from blocks` +
        ` where (blocker_id = ? and blocked_id in (${list})) or (blocked_id = ? and blocker_id in (${list}))`,
      [v, ...ids, v, ...ids],
    );
    for (const r of rows) {
      const a = str(r.blocker_id);
      out.add(a === viewerId ? str(r.blocked_id) : a);
    }
    return out;
  }

  /** Bulk inserts for the seeded world (the write API keeps these relations through its own data modules). */
  async insertBlocks(rows: readonly { blockerId: string; blockedId: string; at: number }[]): Promise<void> {
    const chunk = Math.floor(this.d.maxParams / 3);
    for (let i = 0; i < rows.length; i += chunk) {
      await this.db
        .insertInto('blocks')
        .values(rows.slice(i, i + chunk).map((r) => ({ blocker_id: this.d.idParam(r.blockerId), blocked_id: this.d.idParam(r.blockedId), created_at: r.at })))
        .execute();
    }
  }

  async insertMutes(rows: readonly { muterId: string; mutedId: string; at: number }[]): Promise<void> {
    const chunk = Math.floor(this.d.maxParams / 3);
    for (let i = 0; i < rows.length; i += chunk) {
      await this.db
        .insertInto('mutes')
        .values(rows.slice(i, i + chunk).map((r) => ({ muter_id: this.d.idParam(r.muterId), muted_id: this.d.idParam(r.mutedId), created_at: r.at })))
        .execute();
    }
  }

  /** A direct read written with `?` placeholders, renumbered for the dialect. */
  private query<T>(text: string, params: readonly unknown[]): Promise<T[]> {
    const phs = this.d.placeholders(params.length).split(',');
    let i = 0;
    return this.read<T>(text.replace(/\?/g, () => phs[i++]!), params);
  }
}
