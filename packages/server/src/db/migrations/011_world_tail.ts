import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * The rest of the world X exposes (issue 20): Spaces (their state follows from `live_at`/`end_at` and the server
 * clock), ticket buyers, topics, Communities and their members, verified-organisation affiliations, and the
 * hourly impressions each post was shown (what analytics counts besides engagements, which have rows of their own).
 */
export async function up(db: Kysely<unknown>, d: Dialect): Promise<void> {
  const id = d.idType;
  const big = d.bigIntType;

  await db.schema
    .createTable('topics')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .execute();

  await db.schema
    .createTable('spaces')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('creator_id', big, (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('title_lower', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('is_ticketed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', big, (c) => c.notNull())
    // The announced start (null for a Space started at once); the moment it goes live; the moment it ends.
    .addColumn('scheduled_start', big)
    .addColumn('live_at', big)
    .addColumn('end_at', big)
    .addColumn('host_ids', 'text', (c) => c.notNull())
    .addColumn('speaker_ids', 'text', (c) => c.notNull())
    .addColumn('invited_user_ids', 'text', (c) => c.notNull())
    .addColumn('topic_ids', 'text', (c) => c.notNull())
    .addColumn('participant_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('subscriber_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('spaces_creator').on('spaces').columns(['creator_id', 'created_at']).execute();

  await db.schema
    .createTable('space_buyers')
    .addColumn('space_id', 'text', (c) => c.notNull())
    .addColumn('user_id', big, (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('space_buyers_pk', ['space_id', 'user_id'])
    .execute();
  await db.schema.createIndex('space_buyers_walk').on('space_buyers').columns(['space_id', 'created_at', 'user_id']).execute();

  await db.schema
    .createTable('communities')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_lower', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('access', 'text', (c) => c.notNull())
    .addColumn('join_policy', 'text', (c) => c.notNull())
    .addColumn('creator_id', big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('community_members')
    .addColumn('community_id', big, (c) => c.notNull())
    .addColumn('user_id', big, (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('community_members_pk', ['community_id', 'user_id'])
    .execute();
  await db.schema.createIndex('community_members_user').on('community_members').columns(['user_id', 'community_id']).execute();

  await db.schema
    .createTable('affiliations')
    .addColumn('user_id', big, (c) => c.primaryKey())
    .addColumn('org_id', big, (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('affiliations_org').on('affiliations').columns(['org_id', 'created_at', 'user_id']).execute();

  await db.schema
    .createTable('post_impressions')
    .addColumn('post_id', big, (c) => c.notNull())
    .addColumn('hour', big, (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('post_impressions_pk', ['post_id', 'hour'])
    .execute();
}
