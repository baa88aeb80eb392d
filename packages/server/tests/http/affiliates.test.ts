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

describe('the affiliation user field', () => {
  /** An affiliate (public, with a post) of an organisation that is not suspended, and what X's label shows. */
  const pick = () =>
    one(
      s,
      `select a.user_id, a.org_id, u.username, o.name as org_name, o.username as org_username, o.profile_image_url as org_image,
         (select max(p.id) from posts p where p.author_id = a.user_id and p.deleted = 0 and p.reposted_post_id is null and p.community_id is null) as post_id
       from affiliations a join users u on u.id = a.user_id join users o on o.id = a.org_id
       where u.suspended = 0 and u.protected = 0 and o.suspended = 0
         and exists (select 1 from posts p where p.author_id = a.user_id and p.deleted = 0 and p.reposted_post_id is null and p.community_id is null)
       order by a.user_id limit 1`,
    );
  const label = (a: any) => ({ badge_url: a.org_image, description: a.org_name, url: `https://x.com/${a.org_username}`, user_id: [id(a.org_id)] });

  it('lookups by id and by username return the organisation an affiliate belongs to, only when asked', async () => {
    const a = await pick();
    const userId = id(a.user_id);
    const byId = await s.get(`/2/users/${userId}`, { query: { 'user.fields': 'affiliation' } });
    expect(byId.status).toBe(200);
    expect(byId.body.data.affiliation).toEqual(label(a));
    expect((await s.get(`/2/users/${userId}`)).body.data).not.toHaveProperty('affiliation');
    const byName = await s.get(`/2/users/by/username/${a.username}`, { token: s.userToken, query: { 'user.fields': 'affiliation' } });
    expect(byName.body.data.affiliation).toEqual(label(a));
    const many = await s.get('/2/users', { query: { ids: `${userId},${id(a.org_id)}`, 'user.fields': 'affiliation' } });
    expect(many.body.data[0].affiliation).toEqual(label(a));
    // An organisation is no affiliate of anyone: no field at all.
    expect(many.body.data[1]).not.toHaveProperty('affiliation');
  });

  it('the affiliation expansion brings the organisation into includes.users', async () => {
    const a = await pick();
    const r = await s.get(`/2/users/${id(a.user_id)}`, { query: { expansions: 'affiliation', 'user.fields': 'verified_type' } });
    expect(r.status).toBe(200);
    expect(r.body.data.affiliation).toEqual(label(a));
    expect(r.body.includes.users).toEqual([expect.objectContaining({ id: id(a.org_id), username: a.org_username, verified_type: 'business' })]);
  });

  it('users anywhere carry it: post authors in includes, the affiliates list, list owners', async () => {
    const a = await pick();
    const post = await s.get(`/2/tweets/${id(a.post_id)}`, { query: { expansions: 'author_id', 'user.fields': 'affiliation' } });
    expect(post.body.includes.users).toEqual([expect.objectContaining({ id: id(a.user_id), affiliation: label(a) })]);
    const list = await s.get(`/2/users/${id(a.org_id)}/affiliates`, { query: { 'user.fields': 'affiliation', max_results: 1000 } });
    expect(list.body.data.length).toBeGreaterThan(0);
    for (const u of list.body.data) expect(u.affiliation).toEqual(label(a));
    const made = await s.request('POST', '/2/lists', { token: await s.userTokenFor(id(a.user_id)), body: { name: 'Affiliated' } });
    expect(made.status).toBe(201);
    const owned = await s.get(`/2/lists/${made.body.data.id}`, { query: { expansions: 'owner_id', 'user.fields': 'affiliation' } });
    expect(owned.body.includes.users[0].affiliation).toEqual(label(a));
  });
});
