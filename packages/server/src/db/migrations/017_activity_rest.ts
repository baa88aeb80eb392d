import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * The rest of the X Activity API (issue #21):
 * - `dm_events.source_app_id`: the app a Direct Message was sent through (null for messages written without one:
 *   the seeded world, joins and leaves), as X's DM events carry it;
 * - `webhook_deliveries.charge_key`: the key an activity event's delivery is charged under, shared with the
 *   activity streams, so an event an app received on both is paid for once (null: charged per delivery).
 */
export async function up(db: Kysely<unknown>, d: Dialect): Promise<void> {
  await db.schema.alterTable('dm_events').addColumn('source_app_id', d.idType).execute();
  await db.schema.alterTable('webhook_deliveries').addColumn('charge_key', 'text').execute();
}
