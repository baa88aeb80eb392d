/** Test-side lookups into the seeded world, to pick ids for requests (tests may read the store directly). */
import type { TestServer } from '@roost/dev-env';
import { sql } from 'kysely';

const db = (s: TestServer) => s.handle.ctx.store.db;

export async function one<T = any>(s: TestServer, query: string): Promise<T> {
  const r = await sql.raw<T>(query).execute(db(s));
  if (!r.rows.length) throw new Error(`world has no row for: ${query}`);
  return r.rows[0];
}

export const id = (v: unknown) => String(v);
