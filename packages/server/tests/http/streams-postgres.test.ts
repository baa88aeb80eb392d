/** Stream rules (migration 006, the rules repository) and a filtered stream on a real throwaway PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, startPostgres, startTestServer, type PostgresServer, type TestServer } from '@roost/dev-env';
import { StreamClient } from './stream-client.js';

const available = postgresAvailable();
if (!available && process.env.CI) throw new Error('PostgreSQL server binaries are required in CI (apt-get install postgresql)');

const RULES = '/2/tweets/search/stream/rules';
let pgServer: PostgresServer;
let s: TestServer;

describe.skipIf(!available)('streams on PostgreSQL', () => {
  beforeAll(async () => {
    pgServer = await startPostgres();
    s = await startTestServer({ dbUrl: pgServer.url, users: 120, posts: 800 });
  });
  afterAll(async () => {
    await s?.close();
    await pgServer?.stop();
  });

  it('rules: add, duplicate, list with pages, counts, delete by id and value, delete_all', async () => {
    const add = await s.request('POST', RULES, { body: { add: [{ value: 'pg cat', tag: 'c' }, { value: 'pg dog' }, { value: 'pg bird' }] } });
    expect(add.body.meta.summary).toEqual({ created: 3, not_created: 0, valid: 3, invalid: 0 });
    const dup = await s.request('POST', RULES, { body: { add: [{ value: 'pg cat' }] } });
    expect(dup.body.errors[0]).toMatchObject({ title: 'DuplicateRule', id: add.body.data[0].id });
    const p1 = await s.get(RULES, { query: { max_results: 2 } });
    const p2 = await s.get(RULES, { query: { max_results: 2, pagination_token: p1.body.meta.next_token } });
    expect([...p1.body.data, ...p2.body.data].map((r: any) => r.value)).toEqual(['pg cat', 'pg dog', 'pg bird']);
    expect((await s.get(`${RULES}/counts`)).body.data.project_rules_count).toBe('3');
    const del = await s.request('POST', RULES, { body: { delete: { ids: [add.body.data[0].id], values: ['pg dog'] } } });
    expect(del.body.meta.summary).toEqual({ deleted: 2, not_deleted: 0 });
    const all = await s.request('POST', RULES, { query: { delete_all: 'true' } });
    expect(all.body.meta.summary).toEqual({ deleted: 1, not_deleted: 0 });
  });

  it('a filtered stream delivers a new post with its matching rule', async () => {
    const add = await s.request('POST', RULES, { body: { add: [{ value: 'postgresql', tag: 'pg' }] } });
    const c = await StreamClient.open(s, '/2/tweets/search/stream');
    try {
      expect(c.status).toBe(200);
      const made = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: 'streaming from postgresql' } });
      const [m] = await c.messageCount(1);
      expect(m).toEqual({ data: expect.objectContaining({ id: made.body.data.id }), matching_rules: [{ id: add.body.data[0].id, tag: 'pg' }] });
    } finally {
      c.close();
    }
  });
});
