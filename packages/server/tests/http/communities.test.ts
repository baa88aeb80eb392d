import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_NOW, type TestServer } from '@roost/dev-env';
import { sql } from 'kysely';
import { snowflakeTime } from '../../src/util/snowflake.js';
import { NOT_A_MEMBER, REPLY_TO_MISSING } from '../../src/domain/posting.js';
import type { ManualClock } from '../../src/clock.js';
import { id, one } from './find.js';
import { eventually, StreamClient } from './stream-client.js';

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
    const c = await one(s, `select community_id, user_id from community_members m join users u on u.id = m.user_id join communities c on c.id = m.community_id where u.suspended = 0 and c.access = 'Public' order by community_id, user_id limit 1`);
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

describe('Closed Communities: posts for members only', () => {
  const P = 'https://api.twitter.com/2/problems/';
  const denied = (value: string, parameter: string, section = 'data') => ({
    value,
    detail: `Sorry, you are not authorized to see the Tweet with ${parameter}: [${value}].`,
    title: 'Authorization Error',
    resource_type: 'tweet',
    parameter,
    resource_id: value,
    section,
    type: `${P}not-authorized-for-resource`,
  });
  const noBlock = (a: string, b: string) =>
    `not exists (select 1 from blocks b where (b.blocker_id = ${a} and b.blocked_id = ${b}) or (b.blocker_id = ${b} and b.blocked_id = ${a}))`;
  let cid: string;
  let post: string;
  let author: string;
  let member: { id: string; token: string };
  let outsider: { id: string; token: string };
  let seq = 0;
  const postAs = async (token: string, text: string, body: Record<string, unknown> = {}) => {
    const r = await s.request('POST', '/2/tweets', { token, body: { text: `${text} n${++seq}`, ...body } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.data.id as string;
  };

  beforeAll(async () => {
    // A seeded post in a Closed Community by a public author, a member who may read that author, and an outsider.
    const p = await one(
      s,
      `select p.id, p.author_id, p.community_id from posts p join communities c on c.id = p.community_id join users a on a.id = p.author_id
       where c.access = 'Closed' and a.protected = 0 and a.suspended = 0 and p.deleted = 0 order by p.id desc limit 1`,
    );
    [cid, post, author] = [id(p.community_id), id(p.id), id(p.author_id)];
    const m = id((await one(s, `select m.user_id from community_members m join users u on u.id = m.user_id where m.community_id = ${cid} and m.user_id <> ${author} and u.suspended = 0 and u.protected = 0 and ${noBlock('m.user_id', author)} order by m.user_id limit 1`)).user_id);
    const o = id((await one(s, `select u.id from users u where u.suspended = 0 and u.protected = 0 and u.id <> ${author} and not exists (select 1 from community_members m where m.community_id = ${cid} and m.user_id = u.id) and ${noBlock('u.id', author)} order by u.id limit 1`)).id);
    member = { id: m, token: await s.userTokenFor(m) };
    outsider = { id: o, token: await s.userTokenFor(o) };
  });

  it('the seeded world has Closed Communities whose members posted there; the Community object says Closed', async () => {
    const c = await s.get(`/2/communities/${cid}`, { query: { 'community.fields': 'access,join_policy' } });
    expect(c.body.data).toMatchObject({ id: cid, access: 'Closed' });
    const n = await one(s, `select count(*) as n from posts p join communities c on c.id = p.community_id where c.access = 'Closed'`);
    expect(Number(n.n)).toBeGreaterThanOrEqual(2);
    const strangers = await one(s, `select count(*) as n from posts p where p.community_id is not null and not exists (select 1 from community_members m where m.community_id = p.community_id and m.user_id = p.author_id)`);
    expect(Number(strangers.n)).toBe(0);
  });

  it('lookups: members and the author read it with community_id; a non-member and app-only get X\'s Authorization Error', async () => {
    const q = { 'tweet.fields': 'community_id,author_id' };
    for (const token of [member.token, await s.userTokenFor(author)]) {
      const r = await s.get(`/2/tweets/${post}`, { token, query: q });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ data: expect.objectContaining({ id: post, community_id: cid, author_id: author }) });
    }
    for (const token of [outsider.token, s.bearer]) {
      const r = await s.get(`/2/tweets/${post}`, { token, query: q });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ errors: [denied(post, 'id')] });
    }
    const open = id((await one(s, `select p.id from posts p join users a on a.id = p.author_id where p.community_id is null and a.protected = 0 and a.suspended = 0 and p.deleted = 0 and p.reposted_post_id is null order by p.id limit 1`)).id);
    const both = await s.get('/2/tweets', { token: outsider.token, query: { ids: `${post},${open}` } });
    expect(both.body.data.map((d: any) => d.id)).toEqual([open]);
    expect(both.body.errors).toEqual([denied(post, 'ids')]);
    const asMember = await s.get('/2/tweets', { token: member.token, query: { ids: `${post},${open}` } });
    expect(asMember.body.data.map((d: any) => d.id)).toEqual([post, open]);
    // Lists hanging off it answer as its lookup does.
    expect((await s.get(`/2/tweets/${post}/quote_tweets`, { token: outsider.token })).body.errors).toEqual([denied(post, 'id')]);
    expect((await s.get(`/2/tweets/${post}/quote_tweets`, { token: member.token })).status).toBe(200);
  });

  it('timelines leave it out for non-members; expansions report it as X does', async () => {
    const window = { since_id: (BigInt(post) - 1n).toString(), until_id: (BigInt(post) + 1n).toString() };
    const asMember = await s.get(`/2/users/${author}/tweets`, { token: member.token, query: window });
    expect(asMember.body.data.map((d: any) => d.id)).toEqual([post]);
    for (const token of [outsider.token, s.bearer]) {
      const r = await s.get(`/2/users/${author}/tweets`, { token, query: window });
      expect(r.status).toBe(200);
      expect(r.body.data).toBeUndefined();
      expect(r.body.meta.result_count).toBe(0);
    }

    // Home timelines of followers of the author: the member's has it, the outsider's does not (and comes full).
    const db = s.handle.ctx.store.db;
    const followers = [member.id, outsider.id];
    await sql.raw(`delete from follows where followee_id = ${author} and follower_id in (${followers.join(',')})`).execute(db);
    await sql.raw(`insert into follows (follower_id, followee_id, created_at) values ${followers.map((f) => `(${f}, ${author}, 0)`).join(',')}`).execute(db);
    const homeOf = (u: { id: string; token: string }) => s.get(`/2/users/${u.id}/timelines/reverse_chronological`, { token: u.token, query: window });
    expect(snowflakeTime(post)).toBeGreaterThan(TEST_NOW - 7 * 86_400_000); // home reaches back 7 days
    expect((await homeOf(member)).body.data.map((d: any) => d.id)).toEqual([post]);
    expect((await homeOf(outsider)).body).toEqual({ meta: { result_count: 0 } });

    // A member quotes it: outsiders see the quote, not what it quotes.
    const quote = await postAs(member.token, 'Worth reading', { quote_tweet_id: post });
    const q = { expansions: 'referenced_tweets.id', 'tweet.fields': 'community_id' };
    const seen = await s.get(`/2/tweets/${quote}`, { token: member.token, query: q });
    expect(seen.body.includes.tweets).toEqual([expect.objectContaining({ id: post, community_id: cid })]);
    const hidden = await s.get(`/2/tweets/${quote}`, { token: outsider.token, query: q });
    expect(hidden.body.data.id).toBe(quote);
    expect(hidden.body.includes).toBeUndefined();
    expect(hidden.body.errors).toEqual([denied(post, 'referenced_tweets.id', 'includes')]);

    // A member's newest post is in the Community: most_recent_tweet_id expands for members only.
    const inside = await postAs(member.token, 'Members only, please', { community_id: cid });
    const u = { expansions: 'most_recent_tweet_id' };
    const forMember = await s.get(`/2/users/${member.id}`, { token: member.token, query: u });
    expect(forMember.body.includes.tweets.map((t: any) => t.id)).toEqual([inside]);
    const forOutsider = await s.get(`/2/users/${member.id}`, { token: outsider.token, query: u });
    expect(forOutsider.body.data.most_recent_tweet_id).toBe(inside);
    expect(forOutsider.body.includes).toBeUndefined();
    expect(forOutsider.body.errors).toEqual([denied(inside, 'most_recent_tweet_id', 'includes')]);

    // Writes judge it the same way: an outsider can neither quote it nor reply to it.
    const quoted = await s.request('POST', '/2/tweets', { token: outsider.token, body: { text: 'Peeking', quote_tweet_id: post } });
    expect(quoted.status).toBe(400);
    expect(quoted.body.errors[0].parameters).toHaveProperty('quote_tweet_id');
    const replied = await s.request('POST', '/2/tweets', { token: outsider.token, body: { text: 'Knock knock', reply: { in_reply_to_tweet_id: post } } });
    expect(replied.status).toBe(403);
    expect(replied.body.detail).toBe(REPLY_TO_MISSING);
  });

  it('search shows public content only: Public Community posts are found (with community_id), Closed ones by nobody', async () => {
    const pub = await one(s, `select m.community_id, m.user_id from community_members m join communities c on c.id = m.community_id join users u on u.id = m.user_id where c.access = 'Public' and u.suspended = 0 and u.protected = 0 order by m.community_id, m.user_id limit 1`);
    const word = `quillfeather${Date.now() % 100000}`;
    const closedPost = await postAs(member.token, `${word} behind closed doors`, { community_id: cid });
    const publicPost = await postAs(await s.userTokenFor(id(pub.user_id)), `${word} out in the open`, { community_id: id(pub.community_id) });
    (s.clock as ManualClock).advance(60_000);
    for (const token of [s.bearer, member.token, outsider.token]) {
      const r = await s.get('/2/tweets/search/recent', { token, query: { query: word, 'tweet.fields': 'community_id' } });
      expect(r.status).toBe(200);
      expect(r.body.data).toEqual([expect.objectContaining({ id: publicPost, community_id: id(pub.community_id) })]);
    }
    const counts = await s.get('/2/tweets/counts/recent', { query: { query: word, granularity: 'day' } });
    expect(counts.body.meta.total_tweet_count).toBe(1);
    // The member still reads the Closed one by id.
    expect((await s.get(`/2/tweets/${closedPost}`, { token: member.token })).body.data.id).toBe(closedPost);
  });

  it('streams carry Public Community posts and never Closed ones', async () => {
    const word = `streamkite${Date.now() % 100000}`;
    const added = await s.request('POST', '/2/tweets/search/stream/rules', { body: { add: [{ value: word }] } });
    expect(added.body.meta.summary.created).toBe(1);
    const pub = await one(s, `select m.community_id, m.user_id from community_members m join communities c on c.id = m.community_id join users u on u.id = m.user_id where c.access = 'Public' and u.suspended = 0 and u.protected = 0 order by m.community_id desc, m.user_id limit 1`);
    const before = s.handle.ctx.streams.openCount;
    const stream = await StreamClient.open(s, '/2/tweets/search/stream', { 'tweet.fields': 'community_id' });
    try {
      expect(stream.status).toBe(200);
      await eventually(() => s.handle.ctx.streams.openCount === before + 1);
      const closedPost = await postAs(member.token, `${word} closed`, { community_id: cid });
      const publicPost = await postAs(await s.userTokenFor(id(pub.user_id)), `${word} public`, { community_id: id(pub.community_id) });
      // Events are dispatched in order: once the public post is out, the closed one was judged already.
      await stream.until(() => stream.messages.some((m) => m.data?.id === publicPost), 'the public post');
      const ids = stream.messages.map((m) => m.data?.id);
      expect(ids).toContain(publicPost);
      expect(ids).not.toContain(closedPost);
      expect(stream.messages.find((m) => m.data?.id === publicPost).data.community_id).toBe(id(pub.community_id));
    } finally {
      stream.close();
      await s.request('POST', '/2/tweets/search/stream/rules', { query: { delete_all: 'true' } });
    }
  });
});
