/**
 * Issue 15, finding 3: valid-looking input gave 5xx — times after 2080-07-10 on timelines ("bigint too big" on
 * SQLite, "out of range" on PostgreSQL), ~95 negated terms in a search on SQLite ("fts5: parser stack overflow"),
 * and U+0000 in a post's text, a bookmark folder name or a rule value on PostgreSQL ("invalid byte sequence").
 * Each gets the same answer on both stores: X's 400, or the results PostgreSQL gives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, startPostgres, startTestServer, type PostgresServer, type TestServer } from '@roost/dev-env';

const XDEV = '2244994945';
const pg = postgresAvailable();
if (!pg && process.env.CI) throw new Error('PostgreSQL server binaries are required in CI (apt-get install postgresql)');

interface Store {
  name: string;
  s: TestServer;
}
const stores: Store[] = [];
let pgServer: PostgresServer | undefined;

beforeAll(async () => {
  const limits = { '*': { app: 100_000, user: 100_000 } };
  stores.push({ name: 'sqlite', s: await startTestServer({ users: 200, posts: 1500, limits }) });
  if (pg) {
    pgServer = await startPostgres();
    stores.push({ name: 'postgres', s: await startTestServer({ dbUrl: pgServer.url, users: 200, posts: 1500, limits }) });
  }
});
afterAll(async () => {
  for (const st of stores) await st.s.close();
  await pgServer?.stop();
});

const each = (fn: (st: Store) => Promise<void>) => async () => {
  for (const st of stores) await fn(st);
};

describe('inputs that used to give 5xx', () => {
  it('times after the last snowflake are X\'s 400 on timelines and search', each(async ({ s, name }) => {
    for (const [path, param] of [
      [`/2/users/${XDEV}/tweets`, 'end_time'],
      [`/2/users/${XDEV}/tweets`, 'start_time'],
      [`/2/users/${XDEV}/mentions`, 'end_time'],
      ['/2/tweets/search/recent?query=roost', 'end_time'],
    ] as const) {
      const r = await s.get(path, { query: { [param]: '2090-01-01T00:00:00Z' } });
      expect(r.status, `${name} ${path} ${param}`).toBe(400);
      expect(r.body.errors[0].message).toBe(`The \`${param}\` query parameter value [2090-01-01T00:00:00Z] is not valid`);
    }
    const ok = await s.get(`/2/users/${XDEV}/tweets`, { query: { end_time: '2080-07-01T00:00:00Z' } });
    expect(ok.status, name).toBe(200);
  }));

  it('a query of 170 negated terms answers the same on both stores', each(async ({ s, name }) => {
    // 915 characters: within the full archive's 1,024.
    const query = ['roost', ...Array.from({ length: 170 }, (_, i) => `-z${i}`)].join(' ');
    const search = await s.get('/2/tweets/search/all', { token: s.bearer, query: { query, max_results: 10 } });
    expect(search.status, name).toBe(200);
    const counts = await s.get('/2/tweets/counts/all', { token: s.bearer, query: { query } });
    expect(counts.status, name).toBe(200);
    const plain = await s.get('/2/tweets/counts/all', { token: s.bearer, query: { query: 'roost' } });
    expect(counts.body.meta.total_tweet_count, name).toBe(plain.body.meta.total_tweet_count);
  }));

  it('U+0000 in a post, a bookmark folder name or a rule value is a 400', each(async ({ s, name }) => {
    const post = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: 'a\u0000b' } });
    expect(post.status, name).toBe(400);
    expect(post.body.errors[0].message).toBe('$.text: must not contain the NUL character (U+0000)');
    const folder = await s.request('POST', `/2/users/${XDEV}/bookmarks/folders`, { token: s.userToken, body: { name: 'f\u0000' } });
    expect(folder.status, name).toBe(400);
    const rule = await s.request('POST', '/2/tweets/search/stream/rules', { token: s.bearer, body: { add: [{ value: 'cat\u0000' }] } });
    expect(rule.status, name).toBe(400);
    const q = await s.get('/2/tweets/search/recent', { query: { query: 'cat\u0000' } });
    expect(q.status, name).toBe(400);
  }));
});
