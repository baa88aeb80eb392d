import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { textHash } from '../text-hash.js';

/**
 * `posts.text_hash` and the index `(author_id, text_hash)` (issue 17): the duplicate-content check runs on every
 * post created, and without them it read an author's recent posts one by one to compare texts. Posts stored before
 * this migration are hashed here, in id order, a chunk at a time.
 */
export async function up(db: Kysely<unknown>, d: Dialect): Promise<void> {
  await db.schema.alterTable('posts').addColumn('text_hash', 'integer').execute();
  const k = db as Kysely<{ posts: { id: string | bigint; text: string; text_hash: number | null } }>;
  let after: string | null = null;
  for (;;) {
    // Ids as text: SQLite's snowflakes are past a JavaScript number's exact range.
    let q = k.selectFrom('posts').select([sql<string>`cast(id as text)`.as('id'), 'text']).orderBy('posts.id').limit(5_000);
    if (after !== null) q = q.where('posts.id', '>', d.idParam(after));
    const rows = await q.execute();
    if (rows.length === 0) break;
    for (const r of rows) await k.updateTable('posts').set({ text_hash: textHash(r.text) }).where('id', '=', d.idParam(r.id)).execute();
    after = rows[rows.length - 1]!.id;
  }
  await db.schema.createIndex('posts_author_text_hash').on('posts').columns(['author_id', 'text_hash']).execute();
}
