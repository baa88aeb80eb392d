import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { id, one } from './find.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

describe('GET /2/users/:id/affiliates', () => {
  it('lists a verified organisation\'s affiliates, newest first, paged; other accounts have none', async () => {
    const org = await one(s, 'select org_id, count(*) as n from affiliations a join users u on u.id = a.user_id where u.suspended = 0 group by org_id order by n desc, org_id limit 1');
    const orgId = id(org.org_id);
    expect((await one(s, `select verified_type from users where id = ${orgId}`)).verified_type).toBe('business');
    const all = await s.get(`/2/users/${orgId}/affiliates`, { query: { max_results: 1000 } });
    expect(all.status).toBe(200);
    expect(all.body.meta.result_count).toBe(Number(org.n));
    const expected = (await s.handle.ctx.store.db.selectFrom('affiliations').select(['user_id', 'created_at']).where('org_id', '=', orgId as never).orderBy('created_at', 'desc').orderBy('user_id', 'desc').execute()).map((r) => id(r.user_id));
    expect(all.body.data.map((u: any) => u.id)).toEqual(expected);
    if (expected.length > 1) {
      const p1 = await s.get(`/2/users/${orgId}/affiliates`, { query: { max_results: 1 } });
      const p2 = await s.get(`/2/users/${orgId}/affiliates`, { query: { max_results: 1, pagination_token: p1.body.meta.next_token } });
      expect([p1.body.data[0].id, p2.body.data[0].id]).toEqual(expected.slice(0, 2));
      expect(p2.body.meta.previous_token).toBeTruthy();
    }
    const person = id((await one(s, `select id from users where verified_type = 'none' and suspended = 0 and protected = 0 limit 1`)).id);
    expect((await s.get(`/2/users/${person}/affiliates`)).body).toEqual({ meta: { result_count: 0 } });
    expect((await s.get('/2/users/1/affiliates')).body.errors[0]).toMatchObject({ resource_type: 'user', title: 'Not Found Error' });
    expect((await s.get(`/2/users/${orgId}/affiliates`, { query: { max_results: 1001 } })).status).toBe(400);
  });
});
