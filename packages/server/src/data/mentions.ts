import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { Dialect } from '../db/dialect.js';

/** Who is mentioned in which post (the mentions timeline reads these rows). */
export class Mentions {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly d: Dialect,
  ) {}

  async insert(postId: string, userIds: readonly string[]): Promise<void> {
    const unique = [...new Set(userIds)];
    if (!unique.length) return;
    await this.db
      .insertInto('mentions')
      .values(unique.map((u) => ({ user_id: this.d.idParam(u), post_id: this.d.idParam(postId) })))
      .execute();
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
