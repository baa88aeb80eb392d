import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Community Notes (issue 20): the notes AI Note Writers propose on posts — in test mode or on the product —
 * with the evaluator's outcome as it was when the note was written, and the requests people make for a note on
 * a post (with the post they suggest as a source), from which the posts eligible for notes follow. News needs no
 * table: stories are clustered from posts on each request.
 */
export async function up(db: Kysely<unknown>, d: Dialect): Promise<void> {
  const id = d.idType;
  const big = d.bigIntType;

  await db.schema
    .createTable('notes')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('author_id', big, (c) => c.notNull())
    .addColumn('post_id', big, (c) => c.notNull())
    .addColumn('test_mode', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('classification', 'text', (c) => c.notNull())
    // JSON array of X's misleading tags.
    .addColumn('misleading_tags', 'text', (c) => c.notNull())
    .addColumn('trustworthy_sources', 'integer', (c) => c.notNull())
    .addColumn('is_media_note', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', big, (c) => c.notNull())
    // The evaluator's buckets (high | medium | low) and claim-opinion score, fixed when the note was written.
    .addColumn('url_validity', 'text', (c) => c.notNull())
    .addColumn('harassment_abuse', 'text', (c) => c.notNull())
    .addColumn('claim_opinion', 'text', (c) => c.notNull())
    .addColumn('claim_opinion_score', d.realType, (c) => c.notNull())
    .execute();
  // One note per writer and post.
  await db.schema.createIndex('notes_author_post').on('notes').columns(['author_id', 'post_id']).unique().execute();
  await db.schema.createIndex('notes_author_walk').on('notes').columns(['author_id', 'test_mode', 'id']).execute();

  await db.schema
    .createTable('note_requests')
    .addColumn('post_id', big, (c) => c.notNull())
    .addColumn('user_id', big, (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    // A post the requester suggests as a source (X lets requests carry other posts), or null.
    .addColumn('source_post_id', big)
    .addPrimaryKeyConstraint('note_requests_pk', ['post_id', 'user_id'])
    .execute();
}
