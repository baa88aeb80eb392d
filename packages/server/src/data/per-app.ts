/** Queries shared by the tables an app owns rows of (`app_id`): the counts its caps are checked against. */
import type { Kysely } from 'kysely';
import type { Dialect } from '../db/dialect.js';
import type { Database } from '../db/tables.js';
import { num } from './rows.js';

/** The tables with an `app_id` column whose rows count against an app's caps. */
export type AppOwnedTable = 'activity_subscriptions' | 'aaa_subscriptions' | 'stream_rules' | 'webhooks';

/** How many rows of `table` belong to the app. */
export async function countOfApp(db: Kysely<Database>, d: Dialect, table: AppOwnedTable, appId: string): Promise<number> {
  const r = await db
    .selectFrom(table)
    .select((e) => e.fn.countAll().as('n'))
    .where('app_id', '=', d.idParam(appId))
    .executeTakeFirst();
  return num(r?.n ?? 0);
}
