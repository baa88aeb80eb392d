import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { Dialect } from '../db/dialect.js';
import type { RunFn } from '../db/connect.js';
import type { DeferredWrites } from './deferred.js';

/** The mention rows' insert (hand-written: write path, bulk loads): (mentioned user, post). */
export const MENTION_INSERT = { head: 'insert into mentions (user_id, post_id)', row: '(?, ?)' } as const;

/** Who is mentioned in which post (the mentions timeline reads these rows). */
export class Mentions {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
    private readonly run: RunFn,
    /** Inside a transaction: where mention rows wait for the batch's flush. */
    private readonly deferred: DeferredWrites | null = null,
  ) {}

  async insert(postId: string, userIds: readonly string[]): Promise<void> {
    await this.insertMany([{ postId, userIds }]);
  }

  /**
   * The mention rows of several posts as one multi-row insert (a prepared statement per row count); inside a
   * transaction they join the batch's one insert at its flush.
   */
  async insertMany(posts: readonly { postId: string; userIds: readonly string[] }[]): Promise<void> {
    if (this.deferred) {
      for (const p of posts) await this.deferred.mention(p.postId, p.userIds);
      return;
    }
    const params: unknown[] = [];
    for (const p of posts) for (const u of new Set(p.userIds)) params.push(this.d.idParam(u), this.d.idParam(p.postId));
    if (!params.length) return;
    await this.run(this.d.numbered(`${MENTION_INSERT.head} values ${Array(params.length / 2).fill(MENTION_INSERT.row).join(', ')}`), params);
  }

  /** Whether the post mentions the user. */
  async mentions(postId: string, userId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('mentions')
      .select('user_id')
      .where('post_id', '=', this.d.idParam(postId))
      .where('user_id', '=', this.d.idParam(userId))
      .executeTakeFirst();
    return row !== undefined;
  }
}
