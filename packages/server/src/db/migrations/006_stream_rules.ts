import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Filtered-stream rules (FACTS §6.1), per app: snowflake id, the rule text as submitted, an optional tag. A value
 * is unique per app (X answers DuplicateRule with the existing rule's id). `owner_id` (the app owner: X's
 * "project") is kept so the project-wide rule count is one indexed query.
 */
export async function up(db: Kysely<unknown>, d: Dialect): Promise<void> {
  await db.schema
    .createTable('stream_rules')
    .addColumn('id', d.idType, (c) => c.primaryKey())
    .addColumn('app_id', d.idType, (c) => c.notNull())
    .addColumn('owner_id', d.idType, (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('tag', 'text')
    .addColumn('created_at', d.bigIntType, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stream_rules_app_value').on('stream_rules').columns(['app_id', 'value']).unique().execute();
  await db.schema.createIndex('stream_rules_owner').on('stream_rules').columns(['owner_id', 'app_id']).execute();
}
