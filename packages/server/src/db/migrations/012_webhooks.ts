import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Webhooks, Account Activity, the X Activity API, event delivery and batch compliance (FACTS §12):
 * - `webhooks`: registered URLs per app, whether the last CRC passed (`valid`) and when it ran;
 * - `aaa_subscriptions`: Account Activity subscriptions, one per (webhook, user);
 * - `stream_links`: filtered-stream webhook links, one per (app, webhook), with the stream parameters given;
 * - `activity_subscriptions`: X Activity API subscriptions (event type, filter, tag, optional webhook);
 * - `event_outbox`: the events of committed writes that may need delivery, written in the write's own
 *   transaction and removed once fanned out into deliveries (a lease keeps two workers off one row);
 * - `webhook_deliveries`: one POST to make (or made) per webhook and event: its body, status and schedule; kept
 *   for the replay window and then pruned; `webhook_delivery_attempts` records every attempt;
 * - `webhook_replay_jobs`: replays of a window of a webhook's deliveries;
 * - `compliance_jobs`: batch compliance jobs, their uploaded ids and their result lines.
 */
export async function up(db: Kysely<unknown>, d: Dialect): Promise<void> {
  const id = d.idType;
  const big = d.bigIntType;

  await db.schema
    .createTable('webhooks')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('app_id', big, (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('valid', 'integer', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('crc_checked_at', big)
    .addColumn('crc_ok_at', big)
    .addColumn('crc_failure', 'text')
    .execute();
  await db.schema.createIndex('webhooks_app_url').on('webhooks').columns(['app_id', 'url']).unique().execute();

  await db.schema
    .createTable('aaa_subscriptions')
    .addColumn('webhook_id', big, (c) => c.notNull())
    .addColumn('user_id', big, (c) => c.notNull())
    .addColumn('app_id', big, (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('aaa_subscriptions_pk', ['webhook_id', 'user_id'])
    .execute();
  await db.schema.createIndex('aaa_subscriptions_user').on('aaa_subscriptions').column('user_id').execute();
  await db.schema.createIndex('aaa_subscriptions_app').on('aaa_subscriptions').column('app_id').execute();

  await db.schema
    .createTable('stream_links')
    .addColumn('app_id', big, (c) => c.notNull())
    .addColumn('webhook_id', big, (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('stream_links_pk', ['app_id', 'webhook_id'])
    .execute();
  await db.schema.createIndex('stream_links_webhook').on('stream_links').column('webhook_id').execute();

  await db.schema
    .createTable('activity_subscriptions')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('app_id', big, (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('user_id', big)
    .addColumn('keyword', 'text')
    .addColumn('direction', 'text')
    .addColumn('tag', 'text')
    .addColumn('webhook_id', big)
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('activity_subscriptions_app').on('activity_subscriptions').columns(['app_id', 'id']).execute();
  await db.schema.createIndex('activity_subscriptions_match').on('activity_subscriptions').columns(['event_type', 'user_id']).execute();

  await db.schema
    .createTable('event_outbox')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('at', big, (c) => c.notNull())
    .addColumn('lease_until', big, (c) => c.notNull().defaultTo(0))
    .addColumn('lease_owner', 'text')
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('webhook_id', big, (c) => c.notNull())
    .addColumn('app_id', big, (c) => c.notNull())
    .addColumn('event_id', big, (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('for_user_id', big)
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('price_micros', big, (c) => c.notNull().defaultTo(0))
    .addColumn('event_at', big, (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', big, (c) => c.notNull())
    .addColumn('lease_until', big, (c) => c.notNull().defaultTo(0))
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('finished_at', big)
    .addColumn('replay_job_id', big)
    .execute();
  await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_deliveries_window').on('webhook_deliveries').columns(['webhook_id', 'event_at']).execute();
  await db.schema.createIndex('webhook_deliveries_replay').on('webhook_deliveries').columns(['replay_job_id', 'status']).execute();
  await db.schema.createIndex('webhook_deliveries_created').on('webhook_deliveries').column('created_at').execute();

  await db.schema
    .createTable('webhook_delivery_attempts')
    .addColumn('delivery_id', big, (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('started_at', big, (c) => c.notNull())
    .addColumn('duration_ms', big, (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addPrimaryKeyConstraint('webhook_delivery_attempts_pk', ['delivery_id', 'attempt'])
    .execute();

  await db.schema
    .createTable('webhook_replay_jobs')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('webhook_id', big, (c) => c.notNull())
    .addColumn('app_id', big, (c) => c.notNull())
    .addColumn('from_at', big, (c) => c.notNull())
    .addColumn('to_at', big, (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('finished_at', big)
    .execute();
  await db.schema.createIndex('webhook_replay_jobs_webhook').on('webhook_replay_jobs').columns(['webhook_id', 'status']).execute();

  await db.schema
    .createTable('compliance_jobs')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('app_id', big, (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('resumable', 'integer', (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .addColumn('upload_expires_at', big, (c) => c.notNull())
    .addColumn('download_expires_at', big, (c) => c.notNull())
    .addColumn('uploaded_at', big)
    .addColumn('ready_at', big)
    .addColumn('failure', 'text')
    .addColumn('ids_count', big)
    .addColumn('result', 'text')
    .execute();
  await db.schema.createIndex('compliance_jobs_app').on('compliance_jobs').columns(['app_id', 'type', 'id']).execute();
}
