/** Test-side lookups into the seeded world, to pick ids for requests (tests may read the store directly). */
import type { TestServer } from '@roost/dev-env';
import { sql } from 'kysely';
import { expect } from 'vitest';

const db = (s: TestServer) => s.handle.ctx.store.db;

export async function one<T = any>(s: TestServer, query: string): Promise<T> {
  const r = await sql.raw<T>(query).execute(db(s));
  if (!r.rows.length) throw new Error(`world has no row for: ${query}`);
  return r.rows[0];
}

/** Every row a query gives (possibly none). */
export async function rows<T = any>(s: TestServer, query: string): Promise<T[]> {
  return (await sql.raw<T>(query).execute(db(s))).rows;
}

export const id = (v: unknown) => String(v);

/** The first unsuspended user of the seeded world other than @XDevelopers, with a user token of theirs. */
export async function otherUser(s: TestServer): Promise<{ id: string; token: string }> {
  const row = await db(s).selectFrom('users').select('id').where('id', '<>', '2244994945' as never).where('suspended', '=', 0 as never).orderBy('id').limit(1).executeTakeFirstOrThrow();
  return { id: String(row.id), token: await s.userTokenFor(String(row.id)) };
}

/**
 * Every page of a paginated read (`query` on each, the previous page's `next_token` passed back as `param`), up to
 * `maxPages`; each must answer 200. All ids in order, and each page's body.
 */
export async function walkPages(
  s: TestServer,
  path: string,
  query: Record<string, string | number>,
  opts: { token?: string; param?: string; maxPages?: number } = {},
): Promise<{ all: string[]; pages: any[] }> {
  const all: string[] = [];
  const pages: any[] = [];
  let next: string | undefined;
  for (let i = 0; i < (opts.maxPages ?? 100); i++) {
    const r = await s.get(path, { token: opts.token, query: { ...query, ...(next ? { [opts.param ?? 'pagination_token']: next } : {}) } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    pages.push(r.body);
    all.push(...(r.body.data ?? []).map((d: any) => d.id));
    next = r.body.meta?.next_token;
    if (!next) break;
  }
  return { all, pages };
}
