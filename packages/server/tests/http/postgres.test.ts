/**
 * The HTTP surface on PostgreSQL: the same server over a real throwaway PostgreSQL, driven through the read
 * and write paths whose SQL differs by dialect (direct reads, keyset pages, counters, home timeline walks).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, startPostgres, startTestServer, type PostgresServer, type TestServer } from '@roost/dev-env';
import { id, one } from './find.js';

const available = postgresAvailable();
if (!available && process.env.CI) throw new Error('PostgreSQL server binaries are required in CI (apt-get install postgresql)');

const ME = '2244994945';
let pgServer: PostgresServer;
let s: TestServer;

describe.skipIf(!available)('HTTP on PostgreSQL', () => {
  beforeAll(async () => {
    pgServer = await startPostgres();
    s = await startTestServer({ dbUrl: pgServer.url, users: 320, posts: 2500 });
  });
  afterAll(async () => {
    await s?.close();
    await pgServer?.stop();
  });

  it('reads: quickstart, lookups with expansions, timelines and relations page through', async () => {
    const q = await s.get('/2/users/by/username/xdevelopers', { query: { 'user.fields': 'created_at,public_metrics' } });
    expect(q.body.data).toMatchObject({ id: ME, created_at: '2013-12-14T04:35:55.000Z' });
    const ref = await one(s, 'select p.id from posts p join users u on u.id = p.author_id where p.quoted_post_id is not null and u.protected = 0 and u.suspended = 0 and p.deleted = 0 limit 1');
    const l = await s.get(`/2/tweets/${id(ref.id)}`, { query: { expansions: 'author_id,referenced_tweets.id', 'tweet.fields': 'public_metrics,created_at' } });
    expect(l.body.data.id).toBe(id(ref.id));
    expect(l.body.includes.users.length).toBeGreaterThan(0);
    const p1 = await s.get(`/2/users/${ME}/tweets`, { query: { max_results: 5 } });
    const p2 = await s.get(`/2/users/${ME}/tweets`, { query: { max_results: 5, pagination_token: p1.body.meta.next_token } });
    expect(p2.body.data[0].id < p1.body.data[4].id || BigInt(p2.body.data[0].id) < BigInt(p1.body.data[4].id)).toBe(true);
    const f1 = await s.get(`/2/users/${ME}/followers`, { query: { max_results: 10 } });
    const f2 = await s.get(`/2/users/${ME}/followers`, { query: { max_results: 10, pagination_token: f1.body.meta.next_token } });
    const both = [...f1.body.data, ...f2.body.data].map((u: any) => u.id);
    expect(new Set(both).size).toBe(20);
  });

  it('writes: create, reply, like, repost, follow, block and delete keep counters exact', async () => {
    const other = await one(s, `select id from users where protected = 0 and suspended = 0 and id <> ${ME} and id not in (select blocked_id from blocks where blocker_id = ${ME}) and id not in (select blocker_id from blocks where blocked_id = ${ME}) limit 1`);
    const otherId = id(other.id);
    const otherToken = await s.userTokenFor(otherId);
    const c = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: 'Hello from PostgreSQL' } });
    expect(c.status).toBe(201);
    const pid = c.body.data.id;
    expect((await s.request('POST', `/2/users/${otherId}/likes`, { token: otherToken, body: { tweet_id: pid } })).body.data.liked).toBe(true);
    expect((await s.request('POST', `/2/users/${otherId}/likes`, { token: otherToken, body: { tweet_id: pid } })).body.data.liked).toBe(true);
    expect((await s.request('POST', `/2/users/${otherId}/retweets`, { token: otherToken, body: { tweet_id: pid } })).body.data.retweeted).toBe(true);
    const m = (await s.get(`/2/tweets/${pid}`, { query: { 'tweet.fields': 'public_metrics' } })).body.data.public_metrics;
    expect(m).toMatchObject({ like_count: 1, retweet_count: 1 });
    expect((await s.request('DELETE', `/2/users/${otherId}/likes/${pid}`, { token: otherToken })).body.data.liked).toBe(false);
    const f = await s.request('POST', `/2/users/${otherId}/following`, { token: otherToken, body: { target_user_id: ME } });
    expect(f.body.data.following).toBe(true);
    const home = await s.get(`/2/users/${otherId}/timelines/reverse_chronological`, { token: otherToken, query: { max_results: 10 } });
    expect(home.body.data.map((d: any) => d.id)).toContain(pid);
    expect((await s.request('DELETE', `/2/tweets/${pid}`, { token: s.userToken })).body.data.deleted).toBe(true);
    expect((await s.get(`/2/tweets/${pid}`)).body.errors[0].title).toBe('Not Found Error');
  });

  it('home timeline walks past the per-author limit (many followees) on PostgreSQL', async () => {
    const heavy = await one(s, 'select follower_id, count(*) as n from follows group by follower_id order by count(*) desc limit 1');
    const uid = id(heavy.follower_id);
    // Follow everyone else so the walk takes the many-authors plan.
    const all = await s.handle.ctx.store.db.selectFrom('users').select('id').where('suspended', '=', 0).execute();
    const existing = new Set((await s.handle.ctx.store.db.selectFrom('follows').select('followee_id').where('follower_id', '=', uid).execute()).map((r) => String(r.followee_id)));
    const add = all.map((r) => String(r.id)).filter((x) => x !== uid && !existing.has(x));
    await s.handle.ctx.repos.edges.insertFollows(add.map((followeeId) => ({ followerId: uid, followeeId, at: s.clock.now() })));
    const token = await s.userTokenFor(uid);
    const r1 = await s.get(`/2/users/${uid}/timelines/reverse_chronological`, { token, query: { max_results: 20 } });
    expect(r1.status).toBe(200);
    const ids1 = r1.body.data.map((d: any) => d.id);
    const r2 = await s.get(`/2/users/${uid}/timelines/reverse_chronological`, { token, query: { max_results: 20, pagination_token: r1.body.meta.next_token } });
    const ids2 = r2.body.data.map((d: any) => d.id);
    expect(BigInt(ids2[0])).toBeLessThan(BigInt(ids1[ids1.length - 1]));
  });

  it('Community Notes and News: the eligible feed, a note written once and listed, a story found again by id', async () => {
    const feed = await s.get('/2/notes/search/posts_eligible_for_notes', { token: s.userToken, query: { test_mode: 'true', max_results: 5 } });
    expect(feed.status).toBe(200);
    const postId = feed.body.data[0].id;
    const body = { test_mode: true, post_id: postId, info: { text: 'Context https://example.org', classification: 'not_misleading', misleading_tags: [], trustworthy_sources: true } };
    const made = await s.request('POST', '/2/notes', { token: s.userToken, body });
    expect(made.status).toBe(201);
    expect((await s.request('POST', '/2/notes', { token: s.userToken, body })).status).toBe(400);
    const written = await s.get('/2/notes/search/notes_written', { token: s.userToken, query: { test_mode: 'true', 'note.fields': 'info,test_result' } });
    expect(written.body.data[0]).toMatchObject({ id: made.body.data.id, info: { post_id: postId } });
    const trend: string = (await s.get('/2/trends/by/woeid/1', { query: { max_trends: 1 } })).body.data[0].trend_name;
    const news = await s.get('/2/news/search', { query: { query: trend.replace(/^[#$]/, ''), max_results: 100, 'news.fields': 'summary,cluster_posts_results' } });
    const story = news.body.data.find((n: any) => n.name.toLowerCase() === trend.toLowerCase());
    expect((await s.get(`/2/news/${story.id}`, { query: { 'news.fields': 'summary,cluster_posts_results' } })).body.data).toEqual(story);
  });

  it('broadcasts and articles: pages by (start, id), go-live and chat, an article published as a post, once', async () => {
    const token = s.userToken;
    const at = (h: number) => String(s.clock.now() + h * 3_600_000);
    const made: string[] = [];
    for (const h of [3, 1, 2]) {
      const r = await s.request('POST', '/2/broadcasts/scheduled', { token, body: { source_id: 'pg', scheduled_start_ms: at(h), scheduled_end_ms: at(h + 1) } });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      made.push(r.body.data.scheduled_broadcast_id);
    }
    const first = await s.get('/2/broadcasts/scheduled', { token, query: { max_results: 2 } });
    const rest = await s.get('/2/broadcasts/scheduled', { token, query: { max_results: 2, pagination_token: first.body.meta.next_token } });
    expect([...first.body.data, ...rest.body.data].map((d: any) => d.scheduled_broadcast_id)).toEqual([made[0], made[2], made[1]]);
    const live = await s.request('POST', `/2/broadcasts/scheduled/${made[1]}/live`, { token });
    expect(live.body.data.state).toBe('live');
    expect((await s.request('POST', `/2/broadcasts/${live.body.data.broadcast_id}/chat`, { token, body: { text: 'hi' } })).body.data.success).toBe(true);
    expect(await s.handle.ctx.repos.broadcasts.chat(live.body.data.broadcast_id)).toHaveLength(1);

    const draft = await s.request('POST', '/2/articles/draft', { token, body: { title: 'On PostgreSQL', content_state: { blocks: [{ text: 'Same answers.', type: 'unstyled' }], entities: [] } } });
    const published = await s.request('POST', `/2/articles/${draft.body.data.id}/publish`, { token });
    const read = await s.get(`/2/tweets/${published.body.data.post_id}`, { query: { 'tweet.fields': 'article' } });
    expect(read.body.data.article).toEqual({ title: 'On PostgreSQL', preview_text: 'Same answers.', plain_text: 'Same answers.' });
    expect((await s.request('POST', `/2/articles/${draft.body.data.id}/publish`, { token })).status).toBe(409);
  });
});
