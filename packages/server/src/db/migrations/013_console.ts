import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * The Developer Console (console/, packages/console):
 * - `console_developers`: developer accounts — an e-mail, a bcrypt hash of the password, and the X account that
 *   owns the developer's apps (its id is the billing account);
 * - `console_sessions`: signed-in browsers, by the SHA-256 of the session cookie's value, with an expiry;
 * - `console_usage`: per app, UTC day and operation: requests, errors, post resources billed and cost;
 * - `console_billing`: per account, auto-recharge (threshold and amount) and the spend cap per billing cycle.
 */
export async function up(db: Kysely<unknown>, d: Dialect): Promise<void> {
  const big = d.bigIntType;
  await db.schema
    .createTable('console_developers')
    .addColumn('id', d.idType, (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('user_id', d.idType, (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('console_sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('developer_id', d.idType, (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .addColumn('created_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('console_sessions_developer').on('console_sessions').column('developer_id').execute();

  await db.schema
    .createTable('console_usage')
    .addColumn('app_id', d.idType, (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('operation_id', 'text', (c) => c.notNull())
    .addColumn('requests', big, (c) => c.notNull())
    .addColumn('errors', big, (c) => c.notNull())
    .addColumn('posts', big, (c) => c.notNull())
    .addColumn('cost_micros', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('console_usage_pk', ['app_id', 'day', 'operation_id'])
    .execute();

  await db.schema
    .createTable('console_billing')
    .addColumn('account_id', d.idType, (c) => c.primaryKey())
    .addColumn('auto_recharge', 'integer', (c) => c.notNull())
    .addColumn('recharge_threshold_micros', big, (c) => c.notNull())
    .addColumn('recharge_amount_micros', big, (c) => c.notNull())
    .addColumn('spend_cap_micros', big)
    .addColumn('last_recharge_at', big)
    .execute();
}
