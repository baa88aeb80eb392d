import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { NOT_A_MEMBER } from '../../src/domain/posting.js';
import { id, one } from './find.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

const ALL = 'access,created_at,description,id,join_policy,member_count,name';

describe('GET /2/communities/:id and /2/communities/search', () => {
  it('looks a seeded Community up with X\'s defaults and every field; member_count counts its members', async () => {
    const c = await one(s, 'select c.id, c.name, (select count(*) from community_members m where m.community_id = c.id) as n from communities c order by c.id limit 1');
    const bare = await s.get(`/2/communities/${id(c.id)}`);
    expect(bare.status).toBe(200);
    expect(bare.body).toEqual({ data: { id: id(c.id), name: c.name } });
    const full = await s.get(`/2/communities/${id(c.id)}`, { token: s.userToken, query: { 'community.fields': ALL } });
    expect(full.body.data).toMatchObject({ id: id(c.id), name: c.name, member_count: Number(c.n), access: expect.stringMatching(/^(Public|Closed)$/) });
    expect(full.body.data.created_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    const missing = await s.get('/2/communities/123456789');
    expect(missing.body.errors[0]).toMatchObject({ resource_type: 'community', parameter: 'id', resource_id: '123456789', title: 'Not Found Error' });
    expect((await s.get('/2/communities/abc')).status).toBe(400);
    expect((await s.get(`/2/communities/${id(c.id)}`, { query: { 'community.fields': 'nope' } })).status).toBe(400);
  });

  it('searches names word by word, biggest first, and pages with next_token', async () => {
    const r = await s.get('/2/communities/search', { token: s.userToken, query: { query: 'developers', 'community.fields': 'member_count' } });
    expect(r.status).toBe(200);
    expect(r.body.data.map((c: any) => c.name).sort()).toEqual(['TypeScript Developers', 'X API Developers']);
    const counts = r.body.data.map((c: any) => c.member_count);
    expect(counts).toEqual([...counts].sort((a: number, b: number) => b - a));
    for (let i = 0; i < 12; i++) {
      await s.handle.ctx.repos.communities.insert({ id: String(9_000_000 + i), name: `Paging Club ${i}`, description: 'x', createdAt: 0, access: 'Public', joinPolicy: 'Open', creatorId: '2244994945' });
    }
    const first = await s.get('/2/communities/search', { token: s.userToken, query: { query: 'paging club', max_results: 10 } });
    expect(first.body.data).toHaveLength(10);
    expect(first.body.meta.next_token).toBeTruthy();
    const rest = await s.get('/2/communities/search', { token: s.userToken, query: { query: 'paging club', max_results: 10, next_token: first.body.meta.next_token } });
    expect(rest.body.meta).toEqual({});
    const names = [...first.body.data, ...rest.body.data].map((c: any) => c.id);
    expect(new Set(names).size).toBe(12);
    expect((await s.get('/2/communities/search', { token: s.userToken, query: { query: 'zzz nothing' } })).body).toEqual({ meta: {} });
    expect((await s.get('/2/communities/search', { token: s.userToken, query: { query: 'e', max_results: 5 } })).status).toBe(400);
    expect((await s.get('/2/communities/search', { query: { query: 'e' } })).status).toBe(403);
  });
});

describe('community_id on POST /2/tweets', () => {
  it('a member posts into the Community (the post carries community_id); a non-member is refused; members only reply', async () => {
    const c = await one(s, `select community_id, user_id from community_members m join users u on u.id = m.user_id where u.suspended = 0 order by community_id, user_id limit 1`);
    const cid = id(c.community_id);
    const member = await s.userTokenFor(id(c.user_id));
    const made = await s.request('POST', '/2/tweets', { token: member, body: { text: 'Hello, community', community_id: cid } });
    expect(made.status).toBe(201);
    const read = await s.get(`/2/tweets/${made.body.data.id}`, { query: { 'tweet.fields': 'community_id' } });
    expect(read.body.data.community_id).toBe(cid);

    const outsider = id((await one(s, `select id from users u where suspended = 0 and protected = 0 and not exists (select 1 from community_members m where m.community_id = ${cid} and m.user_id = u.id) order by id limit 1`)).id);
    const outsiderToken = await s.userTokenFor(outsider);
    const refused = await s.request('POST', '/2/tweets', { token: outsiderToken, body: { text: 'Let me in', community_id: cid } });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toBe(NOT_A_MEMBER);
    const unknown = await s.request('POST', '/2/tweets', { token: member, body: { text: 'Nowhere', community_id: '42' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].parameters).toHaveProperty('community_id');

    // The author mentions the outsider, so only membership stands between them and a reply.
    const invite = await s.request('POST', '/2/tweets', { token: member, body: { text: `Thoughts, @${(await one(s, `select username from users where id = ${outsider}`)).username}?`, community_id: cid } });
    expect(invite.status).toBe(201);
    const reply = await s.request('POST', '/2/tweets', { token: outsiderToken, body: { text: 'A reply from outside', reply: { in_reply_to_tweet_id: invite.body.data.id } } });
    expect(reply.status).toBe(403);
    expect(reply.body.detail).toBe(NOT_A_MEMBER);
  });
});
