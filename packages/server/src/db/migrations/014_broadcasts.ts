import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Broadcasts and Articles (issue 20):
 * - `scheduled_broadcasts`: a broadcast its owner scheduled. `id` is the scheduled broadcast id (13 digits, so it
 *   is both the spec's numeric `scheduled_broadcast_id` and a path id of at most 13 characters); `broadcast_id` the
 *   13-character id of the broadcast itself (its chat's path id). Occurrences of one recurring schedule share
 *   `recurring_schedule_id`. `live_at` is when it went live (null: not yet); the state follows from it, the
 *   scheduled end and the server clock, and is never stored.
 * - `broadcast_chats`: chat messages sent into live broadcasts.
 * - `articles`: drafts (`content_state` as sent, JSON) and, once published, the post carrying them.
 */
export async function up(db: Kysely<unknown>, d: Dialect): Promise<void> {
  const big = d.bigIntType;

  await db.schema
    .createTable('scheduled_broadcasts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('broadcast_id', 'text', (c) => c.notNull().unique())
    .addColumn('owner_id', big, (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('chat_option', 'text')
    .addColumn('telecast_id', 'text')
    .addColumn('thumbnail_media_id', 'text')
    .addColumn('available_for_replay', 'integer', (c) => c.notNull())
    .addColumn('manual_publish', 'integer', (c) => c.notNull())
    .addColumn('is_locked', 'integer', (c) => c.notNull())
    .addColumn('recurring_schedule_id', 'text')
    .addColumn('scheduled_start', big, (c) => c.notNull())
    .addColumn('scheduled_end', big, (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('live_at', big)
    .execute();
  await db.schema.createIndex('scheduled_broadcasts_owner').on('scheduled_broadcasts').columns(['owner_id', 'scheduled_start', 'id']).execute();
  await db.schema.createIndex('scheduled_broadcasts_series').on('scheduled_broadcasts').columns(['recurring_schedule_id', 'scheduled_start']).execute();

  await db.schema
    .createTable('broadcast_chats')
    .addColumn('id', d.idType, (c) => c.primaryKey())
    .addColumn('broadcast_id', 'text', (c) => c.notNull())
    .addColumn('sender_id', big, (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('broadcast_chats_broadcast').on('broadcast_chats').columns(['broadcast_id', 'created_at']).execute();

  await db.schema
    .createTable('articles')
    .addColumn('id', d.idType, (c) => c.primaryKey())
    .addColumn('author_id', big, (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('content_state', 'text', (c) => c.notNull())
    .addColumn('cover_media_key', 'text')
    .addColumn('media_keys', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('published_at', big)
    .addColumn('post_id', big)
    .execute();
  await db.schema.createIndex('articles_author').on('articles').columns(['author_id', 'created_at']).execute();
}
