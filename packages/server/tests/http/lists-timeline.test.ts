/**
 * What a list's membership drives: its timeline (GET /2/lists/:id/tweets: members' posts newest first, capped at
 * X's 800, judged by the one rules module), `list:` in search and counts, `listed_count` (and with it the filtered
 * stream's `listed_count:` rules) — each moved by a membership change at once — and the counters under concurrent
 * writes, on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, startPostgres, startTestServer, type PostgresServer, type TestServer } from '@roost/dev-env';
import { ME, listWorld } from './list-world.js';
import { StreamClient } from './stream-client.js';
import { walkPages } from './find.js';

const BIG = { '*': { app: 100_000, user: 100_000, app24h: 1_000_000, user24h: 1_000_000 } };
let s: TestServer;
let w: ReturnType<typeof listWorld>;
const clients: StreamClient[] = [];
beforeAll(async () => {
  s = await startTestServer({ limits: BIG, config: { streamKeepaliveMs: 100 } });
  w = listWorld(s);
});
afterAll(async () => {
  for (const c of clients) c.close();
  await s?.close();
});

const post = (path: string, body: unknown, token = s.userToken) => s.request('POST', path, { token, body });
const del = (path: string, token = s.userToken) => s.request('DELETE', path, { token });
const ids = (r: { body: any }): string[] => (r.body.data ?? []).map((d: any) => d.id);
/** Live, current posts by these authors, newest first, as `viewer` may read them (app-only by default). */
const postsBy = (authors: readonly string[], viewer: string | null = null) => w.postsBy(authors, viewer);

/** Every page of a list's timeline, max_results per page. */
const walk = (listId: string, token: string, maxResults: number) => walkPages(s, `/2/lists/${listId}/tweets`, { max_results: maxResults }, { token });

describe('GET /2/lists/:id/tweets', () => {
  it('answers the members’ posts newest first, in pages both ways, with fields and expansions in either name generation', async () => {
    const members = await w.freshUsers(4, { posting: true });
    const id = await w.create(s.userToken, { name: 'Timeline' });
    for (const m of members) await post(`/2/lists/${id}/members`, { user_id: m });
    const expected = await postsBy(members);
    expect(expected.length).toBeGreaterThan(10);

    const { all, pages } = await walk(id, s.bearer, 7);
    expect(all).toEqual(expected.slice(0, 800));
    expect(pages[0].meta).toMatchObject({ result_count: 7, newest_id: expected[0], oldest_id: expected[6] });
    expect(pages[0].meta.previous_token).toBeUndefined();
    const second = await s.get(`/2/lists/${id}/tweets`, { query: { max_results: 7, pagination_token: pages[0].meta.next_token } });
    const back = await s.get(`/2/lists/${id}/tweets`, { query: { max_results: 7, pagination_token: second.body.meta.previous_token } });
    expect(ids(back)).toEqual(expected.slice(0, 7));

    const classic = await s.get(`/2/lists/${id}/tweets`, {
      query: { max_results: 5, 'tweet.fields': 'author_id,created_at,public_metrics', expansions: 'author_id,referenced_tweets.id', 'user.fields': 'username' },
    });
    expect(classic.status).toBe(200);
    for (const p of classic.body.data) {
      expect(members).toContain(p.author_id);
      expect(p.edit_history_tweet_ids).toEqual([p.id]);
      expect(p.public_metrics).toHaveProperty('retweet_count');
    }
    expect(classic.body.includes.users.every((u: any) => members.includes(u.id) || classic.body.includes.tweets?.length)).toBe(true);
    const modern = await s.get(`/2/lists/${id}/tweets`, { query: { max_results: 5, 'post.fields': 'public_metrics', expansions: 'author_id' } });
    expect(modern.body.data[0]).toHaveProperty('edit_history_post_ids');
    expect(modern.body.data[0].public_metrics).toHaveProperty('repost_count');

    for (const bad of [{ max_results: 0 }, { max_results: 101 }, { pagination_token: 'nope' }, { 'tweet.fields': 'colour' }]) {
      const r = await s.get(`/2/lists/${id}/tweets`, { query: bad });
      expect(r.status, JSON.stringify(bad)).toBe(400);
    }
    // A members token is no timeline token.
    const members1 = await s.get(`/2/lists/${id}/members`, { query: { max_results: 1 } });
    expect((await s.get(`/2/lists/${id}/tweets`, { query: { pagination_token: members1.body.meta.next_token } })).status).toBe(400);
    expect((await s.get('/2/lists/1/tweets')).body.errors[0]).toMatchObject({ title: 'Not Found Error', resource_type: 'list', parameter: 'id', resource_id: '1' });
    // An empty list answers no data.
    const empty = await w.create(s.userToken, { name: 'Empty' });
    expect((await s.get(`/2/lists/${empty}/tweets`)).body).toEqual({ meta: { result_count: 0 } });
  });

  it('reaches back to X’s latest 800 posts of a list and no further', async () => {
    const id = await w.create(s.userToken, { name: 'Everyone' });
    const everyone = (await w.rows<{ id: unknown }>(`select id from users where suspended = 0 and protected = 0 and id <> ${ME} order by id`)).map((r) => String(r.id));
    // Members stored directly: the timeline reads membership, not the counters this bypasses.
    await s.handle.ctx.repos.lists.insertEdges('list_members', everyone.map((u) => ({ a: id, b: u, at: 1 })));
    const blocked = new Set(
      (await w.rows<{ a: unknown; b: unknown }>(`select blocker_id as a, blocked_id as b from blocks where blocker_id = ${ME} or blocked_id = ${ME}`)).map((r) => String(String(r.a) === ME ? r.b : r.a)),
    );
    const expected = await postsBy(everyone.filter((u) => !blocked.has(u)), ME);
    expect(expected.length).toBeGreaterThan(800);
    const { all, pages } = await walk(id, s.userToken, 100);
    expect(all).toEqual(expected.slice(0, 800));
    expect(pages).toHaveLength(8);
    expect(pages[7].meta.next_token).toBeUndefined();
  });

  it('leaves out members the viewer may not see: protected ones not followed, blocked ones (either way), suspended ones', async () => {
    const [pub, blk] = await w.freshUsers(2, { posting: true });
    const prot = await w.protectedUser();
    const sus = await w.suspendedUser();
    const id = await w.create(s.userToken, { name: 'Mixed' });
    await post(`/2/lists/${id}/members`, { user_id: pub });
    await post(`/2/lists/${id}/members`, { user_id: blk });
    const unfollow = await w.relate('follows', ME, prot);
    expect((await post(`/2/lists/${id}/members`, { user_id: prot })).status).toBe(200);
    await s.handle.ctx.repos.lists.insertEdges('list_members', [{ a: id, b: sus, at: 1 }]);
    const [pubPosts, blkPosts, protPosts] = [await postsBy([pub!]), await postsBy([blk!]), await postsBy([prot])];
    expect(protPosts.length).toBeGreaterThan(0);
    const seen = async (token: string) => new Set((await walk(id, token, 100)).all);

    // @XDevelopers follows the protected member: its posts show to it, not to an app.
    let mine = await seen(s.userToken);
    for (const p of [...pubPosts, ...blkPosts, ...protPosts]) expect(mine.has(p)).toBe(true);
    let app = await seen(s.bearer);
    for (const p of protPosts) expect(app.has(p)).toBe(false);
    expect(pubPosts.every((p) => app.has(p))).toBe(true);

    await unfollow();
    const unblock = await w.relate('blocks', blk!, ME);
    mine = await seen(s.userToken);
    for (const p of [...protPosts, ...blkPosts]) expect(mine.has(p)).toBe(false);
    expect(pubPosts.every((p) => mine.has(p))).toBe(true);
    app = await seen(s.bearer);
    expect(blkPosts.every((p) => app.has(p))).toBe(true);
    // The protected member sees their own posts in the list.
    const theirs = await seen(await s.userTokenFor(prot));
    expect(protPosts.every((p) => theirs.has(p))).toBe(true);
    await unblock();
    const susPosts = await postsBy([sus]);
    for (const p of susPosts) expect(mine.has(p) || app.has(p)).toBe(false);
  });
});

describe('a membership change moves the timeline, search, counts and listed_count at once', () => {
  it('list: in search and counts answers from the list’s members', async () => {
    const [member] = await w.freshUsers(1, { posting: true });
    const id = await w.create(s.userToken, { name: 'Searchable' });
    const search = () => s.get('/2/tweets/search/all', { query: { query: `list:${id}`, start_time: '2006-03-21T00:00:00Z', max_results: 500 } });
    const counts = () => s.get('/2/tweets/counts/all', { query: { query: `list:${id}`, start_time: '2006-03-21T00:00:00Z', granularity: 'day' } });
    expect((await search()).body).toEqual({ meta: { result_count: 0 } });
    await post(`/2/lists/${id}/members`, { user_id: member });
    const expected = await postsBy([member!]);
    expect(expected.length).toBeGreaterThan(0);
    const ms = (p: string) => Number(BigInt(p) >> 22n) + 1288834974657;
    const now = s.clock.now();
    const found = await search();
    expect(ids(found)).toEqual(expected.filter((p) => ms(p) < now - 30_000));
    const recent = await s.get('/2/tweets/search/recent', { query: { query: `list:${id}`, max_results: 100 } });
    expect(ids(recent)).toEqual(expected.filter((p) => ms(p) >= now - 7 * 86_400_000 && ms(p) < now - 30_000));
    // Full-archive counts answer the newest 30 days on their first page.
    const c = await counts();
    expect(c.body.meta.total_tweet_count).toBe(expected.filter((p) => ms(p) >= now - 30_000 - 30 * 86_400_000 && ms(p) < now - 30_000).length);
    // With a keyword, as X combines operators.
    const word = (await w.rows<{ text: string }>(`select text from posts where id = ${expected[0]}`))[0]!.text.split(/\s+/).find((t) => /^[A-Za-z]{4,}$/.test(t));
    if (word) expect(ids(await s.get('/2/tweets/search/all', { query: { query: `list:${id} ${word}`, start_time: '2006-03-21T00:00:00Z', max_results: 500 } }))).toContain(expected[0]);

    await del(`/2/lists/${id}/members/${member}`);
    expect((await search()).body).toEqual({ meta: { result_count: 0 } });
    expect((await counts()).body.meta.total_tweet_count).toBe(0);
    expect((await s.get(`/2/lists/${id}/tweets`)).body).toEqual({ meta: { result_count: 0 } });
  });

  it('the filtered stream sees listed_count move with public lists only; list: itself is no stream operator (FACTS §5.2)', async () => {
    const [member] = await w.freshUsers(1);
    const mtoken = await s.userTokenFor(member!);
    const base = (await w.listed(member!)).counter;
    const pub = await w.create(s.userToken, { name: 'Streamed' });
    const priv = await w.create(s.userToken, { name: 'Not streamed', private: true });

    const refused = async (id: string) => {
      const r = await s.request('POST', '/2/tweets/search/stream/rules', { body: { add: [{ value: `list:${id} cats` }] } });
      expect(r.status).toBe(200);
      expect(r.body.meta.summary).toMatchObject({ created: 0, invalid: 1 });
      expect(r.body.errors[0]).toMatchObject({ title: 'UnprocessableEntity', type: 'https://api.twitter.com/2/problems/invalid-rules' });
      return JSON.stringify(r.body.errors[0].details);
    };
    expect(await refused(pub)).toBe(await refused('1'));
    expect(await refused(priv)).toBe(await refused('1'));

    await s.request('POST', '/2/tweets/search/stream/rules', { query: { delete_all: 'true' } });
    const add = await s.request('POST', '/2/tweets/search/stream/rules', {
      body: { add: [{ value: `from:${member}`, tag: 'all' }, { value: `from:${member} listed_count:${base + 1}`, tag: 'listed once more' }, { value: `from:${member} listed_count:${base + 2}`, tag: 'twice more' }] },
    });
    expect(add.body.meta.summary.created).toBe(3);
    const c = await StreamClient.open(s, '/2/tweets/search/stream');
    clients.push(c);
    expect(c.status).toBe(200);
    let n = 0;
    const say = async () => {
      const r = await post('/2/tweets', { text: `stream check ${++n} for lists` }, mtoken);
      expect(r.status).toBe(201);
      const msgs = await c.messageCount(n);
      const m = msgs.find((x) => x.data.id === r.body.data.id);
      return m.matching_rules.map((x: any) => x.tag).sort();
    };
    expect(await say()).toEqual(['all']);
    await post(`/2/lists/${priv}/members`, { user_id: member });
    expect(await say()).toEqual(['all']);
    await post(`/2/lists/${pub}/members`, { user_id: member });
    expect(await say()).toEqual(['all', 'listed once more']);
    await s.request('PUT', `/2/lists/${priv}`, { token: s.userToken, body: { private: false } });
    expect(await say()).toEqual(['all', 'listed once more', 'twice more']);
    await del(`/2/lists/${pub}`);
    await del(`/2/lists/${priv}/members/${member}`);
    expect(await say()).toEqual(['all']);
    c.close();
    await s.request('POST', '/2/tweets/search/stream/rules', { query: { delete_all: 'true' } });
  });
});

/** 200 concurrent member adds/removes, follows/unfollows and privacy switches on one list. */
async function concurrentWrites(t: TestServer, tw: ReturnType<typeof listWorld>): Promise<void> {
  const users = await tw.freshUsers(8);
  const tokens = await Promise.all(users.map((u) => t.userTokenFor(u)));
  const id = await tw.create(t.userToken, { name: 'Busy' });
  // Other tests store some memberships directly (bypassing counters): compare each user's drift, before and after.
  const drift = async () => Promise.all(users.map(async (u) => ((l) => l.counter - l.publicMemberships)(await tw.listed(u))));
  const before = await drift();
  const results = await Promise.all(
    Array.from({ length: 200 }, (_, i) => {
      const k = i % users.length;
      const u = users[k]!;
      // One write in five switches the list between private and public, which moves every member's listed_count.
      if (i % 5 === 4) return t.request('PUT', `/2/lists/${id}`, { token: t.userToken, body: { private: i % 10 === 4 } });
      switch (i % 4) {
        case 0:
          return t.request('POST', `/2/lists/${id}/members`, { token: t.userToken, body: { user_id: u } });
        case 1:
          return t.request('DELETE', `/2/lists/${id}/members/${u}`, { token: t.userToken });
        case 2:
          return t.request('POST', `/2/users/${u}/followed_lists`, { token: tokens[k], body: { list_id: id } });
        default:
          return t.request('DELETE', `/2/users/${u}/followed_lists/${id}`, { token: tokens[k] });
      }
    }),
  );
  // Follows may land while the list is private for a moment: those are refused as for a missing list.
  for (const r of results) expect(r.status, JSON.stringify(r.body)).toBe(200);
  const c = await tw.listCounters(id);
  expect(c.members).toBe(c.memberRows);
  expect(c.followers).toBe(c.followerRows);
  expect(c.memberRows).toBeGreaterThan(0);
  expect(await drift()).toEqual(before);
}

describe('counters under concurrency', () => {
  it('member_count, follower_count and every member’s listed_count stay exact (SQLite)', async () => {
    await concurrentWrites(s, w);
  });
});

const pg = postgresAvailable();
describe.skipIf(!pg)('counters under concurrency on PostgreSQL', () => {
  let server: PostgresServer;
  let t: TestServer;
  beforeAll(async () => {
    server = await startPostgres();
    t = await startTestServer({ dbUrl: server.url, limits: BIG });
  });
  afterAll(async () => {
    await t?.close();
    await server?.stop();
  });
  it('member_count, follower_count and every member’s listed_count stay exact (PostgreSQL, row locks)', async () => {
    await concurrentWrites(t, listWorld(t));
  });
});
