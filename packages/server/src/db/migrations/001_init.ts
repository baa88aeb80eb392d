import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

export async function up(db: Kysely<unknown>, d: Dialect): Promise<void> {
  const id = d.idType;
  const big = d.bigIntType;

  await db.schema
    .createTable('users')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('username_lower', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('location', 'text')
    .addColumn('url', 'text')
    .addColumn('profile_image_url', 'text', (c) => c.notNull())
    .addColumn('profile_banner_url', 'text')
    .addColumn('protected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('verified', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('verified_type', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('suspended', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('pinned_post_id', big)
    .addColumn('most_recent_post_id', big)
    .addColumn('followers_count', big, (c) => c.notNull().defaultTo(0))
    .addColumn('following_count', big, (c) => c.notNull().defaultTo(0))
    .addColumn('tweet_count', big, (c) => c.notNull().defaultTo(0))
    .addColumn('listed_count', big, (c) => c.notNull().defaultTo(0))
    .addColumn('like_count', big, (c) => c.notNull().defaultTo(0))
    .addColumn('entities', 'text')
    .addColumn('withheld', 'text')
    .execute();

  await db.schema
    .createTable('posts')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('author_id', big, (c) => c.notNull().references('users.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('conversation_id', big, (c) => c.notNull())
    .addColumn('in_reply_to_post_id', big)
    .addColumn('in_reply_to_user_id', big)
    .addColumn('quoted_post_id', big)
    .addColumn('reposted_post_id', big)
    .addColumn('edit_root_id', big, (c) => c.notNull())
    // On a chain's first version: how many edits the chain has had (0 = never edited, no history lookup needed).
    .addColumn('edit_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lang', 'text', (c) => c.notNull().defaultTo('und'))
    .addColumn('reply_settings', 'text', (c) => c.notNull().defaultTo('everyone'))
    .addColumn('possibly_sensitive', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('source', 'text')
    .addColumn('entities', 'text')
    .addColumn('media_keys', 'text')
    .addColumn('poll_id', big)
    .addColumn('place_id', 'text')
    .addColumn('geo_coordinates', 'text')
    .addColumn('note_text', 'text')
    .addColumn('note_entities', 'text')
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retweet_count', big, (c) => c.notNull().defaultTo(0))
    .addColumn('reply_count', big, (c) => c.notNull().defaultTo(0))
    .addColumn('like_count', big, (c) => c.notNull().defaultTo(0))
    .addColumn('quote_count', big, (c) => c.notNull().defaultTo(0))
    .addColumn('bookmark_count', big, (c) => c.notNull().defaultTo(0))
    .addColumn('impression_count', big, (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('posts_author_id').on('posts').columns(['author_id', 'id']).execute();
  await db.schema.createIndex('posts_reposted').on('posts').columns(['reposted_post_id', 'id']).execute();
  await db.schema.createIndex('posts_quoted').on('posts').columns(['quoted_post_id', 'id']).execute();
  await db.schema.createIndex('posts_reply_to').on('posts').columns(['in_reply_to_post_id', 'id']).execute();
  await db.schema.createIndex('posts_conversation').on('posts').columns(['conversation_id', 'id']).execute();
  await db.schema.createIndex('posts_edit_root').on('posts').columns(['edit_root_id', 'id']).execute();

  await db.schema
    .createTable('follows')
    .addColumn('follower_id', big, (c) => c.notNull().references('users.id'))
    .addColumn('followee_id', big, (c) => c.notNull().references('users.id'))
    .addColumn('created_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('follows_pk', ['follower_id', 'followee_id'])
    .execute();
  await db.schema.createIndex('follows_followee').on('follows').columns(['followee_id', 'created_at', 'follower_id']).execute();
  await db.schema.createIndex('follows_follower').on('follows').columns(['follower_id', 'created_at', 'followee_id']).execute();

  await db.schema
    .createTable('likes')
    .addColumn('user_id', big, (c) => c.notNull().references('users.id'))
    .addColumn('post_id', big, (c) => c.notNull().references('posts.id'))
    .addColumn('created_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('likes_pk', ['user_id', 'post_id'])
    .execute();
  await db.schema.createIndex('likes_post').on('likes').columns(['post_id', 'created_at', 'user_id']).execute();
  await db.schema.createIndex('likes_user').on('likes').columns(['user_id', 'created_at', 'post_id']).execute();

  await db.schema
    .createTable('media')
    .addColumn('media_key', 'text', (c) => c.primaryKey())
    .addColumn('id', big, (c) => c.notNull())
    .addColumn('owner_id', big, (c) => c.notNull().references('users.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('preview_image_url', 'text')
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('duration_ms', 'integer')
    .addColumn('alt_text', 'text')
    .addColumn('variants', 'text')
    .addColumn('view_count', big, (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('polls')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.notNull())
    .addColumn('end_at', big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('places')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('country_code', 'text', (c) => c.notNull())
    .addColumn('place_type', 'text', (c) => c.notNull())
    .addColumn('bbox', 'text', (c) => c.notNull())
    .addColumn('contained_within', 'text')
    .execute();

  await db.schema
    .createTable('apps')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('owner_user_id', big, (c) => c.notNull().references('users.id'))
    .addColumn('consumer_key', 'text', (c) => c.notNull().unique())
    .addColumn('consumer_secret_hash', 'text', (c) => c.notNull())
    .addColumn('bearer_generation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('permission', 'text', (c) => c.notNull().defaultTo('read-write-dm'))
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('app_id', big, (c) => c.notNull().references('apps.id'))
    .addColumn('user_id', big, (c) => c.references('users.id'))
    .addColumn('scopes', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('expires_at', big)
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tokens_app').on('tokens').columns(['app_id', 'kind']).execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}
