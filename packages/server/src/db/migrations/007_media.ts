import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Media uploads (media/, data/media-uploads.ts):
 * - `media_uploads`: one row per upload session (INIT or one-shot): who owns it, what was declared, where it is
 *   (uploading → finalized), what processing found (outcome, probe results, the content-addressed blob) and
 *   the metadata set on it (alt text, sensitive warning, subtitles). The Media object a post shows lives in the
 *   `media` table of 001, written when processing succeeds.
 * - `media_segments`: the segments received so far (their bytes are files in the staging directory).
 */
export async function up(db: Kysely<unknown>, d: Dialect): Promise<void> {
  const big = d.bigIntType;
  await db.schema
    .createTable('media_uploads')
    .addColumn('id', d.idType, (c) => c.primaryKey())
    .addColumn('media_key', 'text', (c) => c.notNull())
    .addColumn('owner_id', big, (c) => c.notNull())
    .addColumn('additional_owners', 'text')
    .addColumn('media_category', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text')
    .addColumn('total_bytes', big)
    .addColumn('shared', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .addColumn('finalized_at', big)
    .addColumn('process_ms', big)
    .addColumn('outcome', 'text')
    .addColumn('error', 'text')
    .addColumn('blob_key', 'text')
    .addColumn('size', big)
    .addColumn('probe', 'text')
    .addColumn('metadata', 'text')
    .addColumn('subtitles', 'text')
    .execute();
  await db.schema.createIndex('media_uploads_owner').on('media_uploads').columns(['owner_id', 'id']).execute();
  await db.schema.createIndex('media_uploads_key').on('media_uploads').column('media_key').unique().execute();

  await db.schema
    .createTable('media_segments')
    .addColumn('upload_id', big, (c) => c.notNull())
    .addColumn('segment_index', 'integer', (c) => c.notNull())
    .addColumn('size', big, (c) => c.notNull())
    .addColumn('received_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('media_segments_pk', ['upload_id', 'segment_index'])
    .execute();
}
