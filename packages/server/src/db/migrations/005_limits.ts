import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Rate limits and pay-per-use metering (limits/):
 * - `rate_limits`: one row per bucket (operation + app, or operation + user + app, and window kind) with the
 *   start of its current fixed window and the tokens used in it;
 * - `rate_limit_overrides`: per-app limits set by `roost apps limits`;
 * - `credits`: the credit balance of each account (an app's owner), in micro-dollars;
 * - `usage_daily`: per app and UTC day, post resources read (the monthly cap and GET /2/usage/tweets) and cost.
 */
export async function up(db: Kysely<unknown>, d: Dialect): Promise<void> {
  const big = d.bigIntType;
  await db.schema
    .createTable('rate_limits')
    .addColumn('bucket', 'text', (c) => c.primaryKey())
    .addColumn('window_start', big, (c) => c.notNull())
    .addColumn('used', big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('rate_limit_overrides')
    .addColumn('app_id', big, (c) => c.notNull())
    .addColumn('operation_id', 'text', (c) => c.notNull())
    .addColumn('per_15min', big)
    .addColumn('per_24h', big)
    .addPrimaryKeyConstraint('rate_limit_overrides_pk', ['app_id', 'operation_id'])
    .execute();

  await db.schema
    .createTable('credits')
    .addColumn('account_id', big, (c) => c.primaryKey())
    .addColumn('balance_micros', big, (c) => c.notNull())
    .addColumn('updated_at', big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('usage_daily')
    .addColumn('app_id', big, (c) => c.notNull())
    .addColumn('account_id', big, (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('posts', big, (c) => c.notNull())
    .addColumn('cost_micros', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('usage_daily_pk', ['app_id', 'day'])
    .execute();
  await db.schema.createIndex('usage_daily_account').on('usage_daily').columns(['account_id', 'day']).execute();
}
