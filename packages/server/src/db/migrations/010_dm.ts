import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Direct Messages (legacy, plain text) and Chats (X Chat: encrypted payloads stored as opaque text).
 *
 * Direct Messages:
 * - `dm_conversations`: one row per conversation; the id is text: `<smaller user id>-<larger user id>` for a
 *   one-to-one conversation, a snowflake for a group.
 * - `dm_participants`: who is in it, since when (`joined_at`: events before it are not theirs) and whether they
 *   left (`left_at`). Only current participants see a conversation.
 * - `dm_events`: MessageCreate / ParticipantsJoin / ParticipantsLeave, newest first by id per conversation.
 * - `dm_blocks`: `POST /2/users/:id/dm/block` (a block of Direct Messages only, apart from `blocks`).
 * - `dm_settings`: who may message a user (`everyone`, `verified`, `following`); no row is the default.
 *
 * Chats:
 * - `chat_conversations`: `a-b` one-to-one or `g<snowflake>` group ids; a group is `initialized` by
 *   `…/group/initialize` and `active` once created; `last_event_id` orders the inbox.
 * - `chat_members` (role, join time, read receipt), `chat_events` (messages and the signed actions of key
 *   changes, group creation and member changes; `message_id` is the client's, unique per conversation so a
 *   retried send stores nothing twice), `chat_participant_keys` (the conversation key encrypted for each member,
 *   per key version), `chat_public_keys` (users' registered keys, per version), `chat_media` (encrypted
 *   attachments: an upload session of `media_uploads` bound to a conversation and its media hash key).
 */
export async function up(db: Kysely<unknown>, d: Dialect): Promise<void> {
  const id = d.idType;
  const big = d.bigIntType;

  await db.schema
    .createTable('dm_conversations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_by', big)
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('dm_participants')
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('user_id', big, (c) => c.notNull())
    .addColumn('joined_at', big, (c) => c.notNull())
    .addColumn('left_at', big)
    .addPrimaryKeyConstraint('dm_participants_pk', ['conversation_id', 'user_id'])
    .execute();
  await db.schema.createIndex('dm_participants_user').on('dm_participants').columns(['user_id', 'conversation_id']).execute();

  await db.schema
    .createTable('dm_events')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('sender_id', big)
    .addColumn('text', 'text')
    .addColumn('entities', 'text')
    .addColumn('media_keys', 'text')
    .addColumn('referenced_post_ids', 'text')
    .addColumn('participant_ids', 'text')
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dm_events_conversation').on('dm_events').columns(['conversation_id', 'id']).execute();

  await db.schema
    .createTable('dm_blocks')
    .addColumn('blocker_id', big, (c) => c.notNull())
    .addColumn('blocked_id', big, (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('dm_blocks_pk', ['blocker_id', 'blocked_id'])
    .execute();

  await db.schema
    .createTable('dm_settings')
    .addColumn('user_id', big, (c) => c.primaryKey())
    .addColumn('allow_from', 'text', (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('chat_conversations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_by', big, (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .addColumn('last_event_id', big)
    .addColumn('key_version', 'text')
    .addColumn('group_name', 'text')
    .addColumn('group_avatar_url', 'text')
    .addColumn('group_description', 'text')
    .addColumn('message_ttl_ms', big)
    .execute();

  await db.schema
    .createTable('chat_members')
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('user_id', big, (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('joined_at', big, (c) => c.notNull())
    .addColumn('seen_until', 'text')
    .addPrimaryKeyConstraint('chat_members_pk', ['conversation_id', 'user_id'])
    .execute();
  await db.schema.createIndex('chat_members_user').on('chat_members').columns(['user_id', 'conversation_id']).execute();

  await db.schema
    .createTable('chat_events')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('sender_id', big, (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('encoded_event', 'text', (c) => c.notNull())
    .addColumn('signature', 'text')
    .addColumn('conversation_token', 'text')
    .addColumn('key_version', 'text')
    .addColumn('previous_id', big)
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('chat_events_conversation').on('chat_events').columns(['conversation_id', 'id']).execute();
  await db.schema.createIndex('chat_events_message').on('chat_events').columns(['conversation_id', 'message_id']).unique().execute();

  await db.schema
    .createTable('chat_participant_keys')
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('key_version', 'text', (c) => c.notNull())
    .addColumn('user_id', big, (c) => c.notNull())
    .addColumn('encrypted_key', 'text', (c) => c.notNull())
    .addColumn('public_key_version', 'text')
    .addColumn('created_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('chat_participant_keys_pk', ['conversation_id', 'key_version', 'user_id'])
    .execute();

  await db.schema
    .createTable('chat_public_keys')
    .addColumn('user_id', big, (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text')
    .addColumn('signing_public_key', 'text')
    .addColumn('identity_public_key_signature', 'text')
    .addColumn('signing_public_key_signature', 'text')
    .addColumn('public_key_fingerprint', 'text')
    .addColumn('registration_method', 'text')
    .addColumn('created_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('chat_public_keys_pk', ['user_id', 'version'])
    .execute();

  await db.schema
    .createTable('chat_media')
    .addColumn('upload_id', id, (c) => c.primaryKey())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('media_hash_key', 'text', (c) => c.notNull())
    .addColumn('owner_id', big, (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('chat_media_key').on('chat_media').columns(['conversation_id', 'media_hash_key']).unique().execute();
}
