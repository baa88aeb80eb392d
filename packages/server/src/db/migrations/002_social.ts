import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/** The social write path: bookmarks (+ folders), blocks, mutes, follow requests, mentions, hidden replies. */
export async function up(db: Kysely<unknown>, d: Dialect): Promise<void> {
  const id = d.idType;
  const big = d.bigIntType;

  await db.schema.alterTable('posts').addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // An edited post's earlier versions stay readable by id but leave every list (timelines, mentions, quotes).
  // Create-time options that have no column of their own (card_uri, community_id, nullcast, …), as JSON.
  await db.schema.alterTable('posts').addColumn('extras', 'text').execute();
  await db.schema.alterTable('posts').addColumn('superseded', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  await db.schema
    .createTable('bookmark_folders')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('user_id', big, (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('bookmark_folders_user').on('bookmark_folders').columns(['user_id', 'id']).execute();

  await db.schema
    .createTable('bookmarks')
    .addColumn('user_id', big, (c) => c.notNull().references('users.id'))
    .addColumn('post_id', big, (c) => c.notNull().references('posts.id'))
    .addColumn('folder_id', big)
    .addColumn('created_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('bookmarks_pk', ['user_id', 'post_id'])
    .execute();
  await db.schema.createIndex('bookmarks_user').on('bookmarks').columns(['user_id', 'created_at', 'post_id']).execute();
  await db.schema.createIndex('bookmarks_folder').on('bookmarks').columns(['folder_id', 'created_at', 'post_id']).execute();

  for (const [table, a, b] of [
    ['blocks', 'blocker_id', 'blocked_id'],
    ['mutes', 'muter_id', 'muted_id'],
    ['follow_requests', 'requester_id', 'target_id'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn(a, big, (c) => c.notNull().references('users.id'))
      .addColumn(b, big, (c) => c.notNull().references('users.id'))
      .addColumn('created_at', big, (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, [a, b])
      .execute();
    await db.schema.createIndex(`${table}_by_${a}`).on(table).columns([a, 'created_at', b]).execute();
    await db.schema.createIndex(`${table}_by_${b}`).on(table).columns([b, a]).execute();
  }

  // Who is mentioned in which post: the mentions timeline walks (user_id, post_id desc).
  await db.schema
    .createTable('mentions')
    .addColumn('user_id', big, (c) => c.notNull().references('users.id'))
    .addColumn('post_id', big, (c) => c.notNull().references('posts.id'))
    .addPrimaryKeyConstraint('mentions_pk', ['user_id', 'post_id'])
    .execute();
}
