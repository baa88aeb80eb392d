/**
 * The SDK against a real Roost server (dev-env, real sockets, no mocked HTTP): users, posts and usage (streams,
 * rules, connections, search and media are in roost-streams.test.ts), all three auth modes — app-only bearer, OAuth 2.0 user tokens (incl. the PKCE flow with
 * automatic refresh) and OAuth 1.0a (incl. the three-legged flow) — pagination across many pages, errors and 429s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { createApp, createOAuth2Client, XDEVELOPERS_ID } from '@roost/server';
import {
  ApiError, Client, defaultTransport, getBearerToken, OAuth1, OAuth2, rateLimitOf, UserPaginator, type Transport,
} from '../src/index.js';

const ME = XDEVELOPERS_ID;
let s: TestServer;

beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

/** A transport that records what was sent (over the real default transport). */
function recording(): { transport: Transport; sent: { method: string; url: string; authorization?: string }[] } {
  const base = defaultTransport();
  const sent: { method: string; url: string; authorization?: string }[] = [];
  return {
    sent,
    transport: (req) => {
      sent.push({ method: req.method, url: req.url, authorization: req.headers.authorization });
      return base(req);
    },
  };
}

describe('app-only bearer', () => {
  it('users.getByUsername: camelCase and API option names, camelCased response, rate-limit info', async () => {
    const c = new Client({ baseUrl: s.url, bearerToken: s.bearer });
    const a = await c.users.getByUsername('XDevelopers', { userFields: ['created_at', 'publicMetrics'], expansions: ['pinned_tweet_id'] });
    expect(a.data?.id).toBe(ME);
    expect(a.data?.username).toBe('XDevelopers');
    expect(a.data?.createdAt).toMatch(/^\d{4}-/);
    expect(typeof a.data?.publicMetrics?.followersCount).toBe('number');
    const rl = rateLimitOf(a)!;
    expect(rl.limit).toBeGreaterThan(0);
    expect(rl.remaining).toBeLessThan(rl.limit!);
    expect(c.lastRateLimit).toEqual(rl);
    const b = await c.users.getByUsername('XDevelopers', { 'user.fields': ['created_at', 'public_metrics'] });
    expect(b.data?.createdAt).toBe(a.data?.createdAt);
  });

  it('a bearer token obtained with getBearerToken (client_credentials) works', async () => {
    const app = s.handle.boot.createdApp!;
    const token = await getBearerToken({ apiKey: app.consumerKey, apiSecret: app.consumerSecret, baseUrl: s.url });
    expect(token).toBe(s.bearer);
  });

  it('posts.getById / getByIds with expansions; usage.get', async () => {
    const c = new Client({ baseUrl: s.url, bearerToken: s.bearer });
    const timeline = await c.users.getPosts(ME, { maxResults: 5 });
    const id = timeline.data![0].id!;
    const one = await c.posts.getById(id, { postFields: ['author_id', 'created_at'], expansions: ['author_id'] });
    expect(one.data?.authorId).toBe(ME);
    expect(one.includes?.users?.[0]?.id).toBe(ME);
    const many = await c.posts.getByIds([id, timeline.data![1].id!]);
    expect(many.data?.map((p) => p.id)).toEqual([id, timeline.data![1].id!]);
    const usage = await c.usage.get({ usageFields: ['daily_project_usage'] });
    expect(usage.data).toBeDefined();
  });

  it('errors: a 400 is an ApiError with X\'s problem body, not retried; a user-only operation needs user auth', async () => {
    const { transport, sent } = recording();
    const c = new Client({ baseUrl: s.url, bearerToken: s.bearer, transport });
    const e = await c.users.getById('not-a-number').catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(400);
    expect(e.title).toBe('Invalid Request');
    expect(e.errors?.[0]?.parameters).toHaveProperty('id');
    expect(sent).toHaveLength(1);
    await expect(c.users.getMe()).rejects.toThrow(/Authentication required for getMe\. Required: OAuth2UserToken or UserToken\. Available: bearer_token/);
  });
});

describe('OAuth 2.0 user token', () => {
  it('reads prefer the bearer token, writes and user-only reads use the user token', async () => {
    const { transport, sent } = recording();
    const c = new Client({ baseUrl: s.url, bearerToken: s.bearer, accessToken: s.userToken, transport });
    await c.users.getById(ME);
    const me = await c.users.getMe();
    expect(me.data?.id).toBe(ME);
    expect(sent.map((x) => x.authorization)).toEqual([`Bearer ${s.bearer}`, `Bearer ${s.userToken}`]);
  });

  it('posts.create → users.likePost / repostPost → posts.getLikingUsers / getRepostedBy → undo → posts.delete', async () => {
    const c = new Client({ baseUrl: s.url, accessToken: s.userToken });
    const other = (await c.users.getFollowers(ME, { maxResults: 1 })).data![0].id!;
    const created = await c.posts.create({ text: 'hello from the SDK ✓ — ünïcödé' });
    const id = created.data!.id!;
    expect(created.data?.text).toBe('hello from the SDK ✓ — ünïcödé');
    expect((await c.users.likePost(ME, { tweetId: id })).data?.liked).toBe(true);
    expect((await c.posts.getLikingUsers(id)).data?.map((u) => u.id)).toEqual([ME]);
    expect((await c.users.getLikedPosts(ME, { maxResults: 5 })).data?.[0]?.id).toBe(id);
    expect((await c.users.unlikePost(ME, id)).data?.liked).toBe(false);
    expect((await c.users.repostPost(ME, { tweetId: id })).data?.retweeted).toBe(true);
    expect((await c.posts.getRepostedBy(id)).data?.map((u) => u.id)).toEqual([ME]);
    expect((await c.users.unrepostPost(ME, id)).data?.retweeted).toBe(false);
    expect((await c.users.createBookmark(ME, { tweetId: id })).data?.bookmarked).toBe(true);
    expect((await c.users.getBookmarks(ME)).data?.[0]?.id).toBe(id);
    expect((await c.users.deleteBookmark(ME, id)).data?.bookmarked).toBe(false);
    expect((await c.users.muteUser(ME, { targetUserId: other })).data?.muting).toBe(true);
    expect((await c.users.getMuting(ME)).data?.map((u) => u.id)).toContain(other);
    expect((await c.users.unmuteUser(ME, other)).data?.muting).toBe(false);
    expect((await c.users.unfollowUser(ME, other)).data?.following).toBe(false);
    expect((await c.users.followUser(ME, { targetUserId: other })).data?.following).toBe(true);
    expect((await c.users.getBlocking(ME)).data ?? []).not.toContainEqual(expect.objectContaining({ id: other }));
    const home = await c.users.getTimeline(ME, { maxResults: 10 });
    expect(home.data?.length).toBeGreaterThan(0);
    expect((await c.posts.delete(id)).data?.deleted).toBe(true);
  });

  it('the PKCE flow: authorization URL → consent → exchangeCode → calls; automatic refresh of an expiring token; revoke', async () => {
    const boot = s.handle.boot.createdClient!;
    const tokens: string[] = [];
    const o2 = new OAuth2({
      clientId: boot.clientId,
      clientSecret: boot.clientSecret!,
      redirectUri: 'http://127.0.0.1:4567/callback',
      scope: ['tweet.read', 'users.read', 'offline.access'],
      baseUrl: s.url,
      onToken: (t) => tokens.push(t.access_token),
    });
    const url = new URL(await o2.getAuthorizationUrl('state-1'));
    expect(url.origin + url.pathname).toBe(`${s.url}/i/oauth2/authorize`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(o2.getCodeVerifier()!.length).toBeGreaterThanOrEqual(43);
    const callback = await consentOAuth2(url);
    expect(callback.searchParams.get('state')).toBe('state-1');
    const token = await o2.exchangeCode(callback.searchParams.get('code')!);
    expect(token.refresh_token).toBeTruthy();
    expect(token.expires_at).toBeGreaterThan(Date.now());

    const c = new Client({ baseUrl: s.url, oauth2: o2 });
    expect((await c.users.getMe()).data?.id).toBe(ME);
    // The token is about to expire: the next call refreshes it first (and the refresh token rotates).
    o2.setToken(o2.getToken()!, Date.now() + 30_000);
    const before = o2.getToken()!;
    expect((await c.users.getMe()).data?.id).toBe(ME);
    const after = o2.getToken()!;
    expect(after.access_token).not.toBe(before.access_token);
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(tokens).toEqual([token.access_token, after.access_token]);

    await o2.revokeToken(after.access_token);
    expect(o2.getToken()).toBeUndefined();
    const e = await new Client({ baseUrl: s.url, accessToken: after.access_token }).users.getMe().catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(401);
  });
});

describe('OAuth 1.0a', () => {
  it('three-legged flow against baseUrl, then signed reads and writes', async () => {
    const app = await createApp(s.handle.ctx, { name: 'SDK test app', ownerUserId: ME });
    // X sends the verifier only to a callback the app registered.
    await createOAuth2Client(s.handle.ctx, { appId: app.id, redirectUris: ['https://client.example/cb'] });
    // Roost's test clock is fixed; signatures carry its time.
    const timestamp = () => Math.floor(s.clock.now() / 1000);
    const o1 = new OAuth1({ apiKey: app.consumerKey, apiSecret: app.consumerSecret, callback: 'https://client.example/cb', baseUrl: s.url, timestamp });
    const authUrl = await o1.startOAuthFlow();
    expect(authUrl.startsWith(`${s.url}/oauth/authorize?oauth_token=`)).toBe(true);
    const verifier = await consentOAuth1(authUrl);
    const access = await o1.getAccessToken(verifier);
    expect(access.userId).toBe(ME);
    expect(access.screenName).toBe('XDevelopers');

    const { transport, sent } = recording();
    const c = new Client({ baseUrl: s.url, oauth1: o1, transport });
    expect((await c.users.getMe({ userFields: ['created_at'] })).data?.id).toBe(ME);
    const created = await c.posts.create({ text: 'signed with OAuth 1.0a' });
    expect((await c.posts.getById(created.data!.id)).data?.text).toBe('signed with OAuth 1.0a');
    expect((await c.posts.delete(created.data!.id)).data?.deleted).toBe(true);
    expect(sent.every((x) => x.authorization?.startsWith('OAuth oauth_consumer_key='))).toBe(true);

    // Writes prefer OAuth 1.0a over a bearer token and a user token; reads prefer the bearer.
    const mixed = recording();
    const all = new Client({ baseUrl: s.url, oauth1: o1, accessToken: s.userToken, bearerToken: s.bearer, transport: mixed.transport });
    const p = await all.posts.create({ text: 'which auth?' });
    await all.posts.getById(p.data!.id);
    await all.posts.delete(p.data!.id);
    expect(mixed.sent.map((x) => x.authorization!.split(' ')[0] + (x.authorization === `Bearer ${s.bearer}` ? ':app' : ''))).toEqual(['OAuth', 'Bearer:app', 'OAuth']);
  });

  it('a tampered secret is refused by the server with a 401 ApiError', async () => {
    const app = await createApp(s.handle.ctx, { name: 'SDK bad app', ownerUserId: ME });
    const o1 = new OAuth1({ apiKey: app.consumerKey, apiSecret: app.consumerSecret + 'x', baseUrl: s.url, timestamp: () => Math.floor(s.clock.now() / 1000) });
    const e = await o1.getRequestToken().catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(401);
  });
});

describe('pagination', () => {
  it('paginate(): for await over ≥ 3 pages yields every follower once, holding one page; fetchNext keeps items and merges includes', async () => {
    const c = new Client({ baseUrl: s.url, bearerToken: s.bearer });
    const total = (await c.users.getFollowers(ME, { maxResults: 1000 })).data!.length;
    expect(total).toBeGreaterThanOrEqual(12);
    const pageSize = Math.ceil(total / 4);

    const walk = c.users.getFollowers.paginate(ME, { maxResults: pageSize, userFields: ['username'] });
    expect(walk).toBeInstanceOf(UserPaginator);
    const ids: string[] = [];
    for await (const u of walk) {
      ids.push(u.id!);
      expect(walk.items.length).toBeLessThanOrEqual(pageSize);
    }
    expect(walk.pages).toBeGreaterThanOrEqual(3);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(total);
    expect(walk.done).toBe(true);

    const kept = c.users.getFollowers.paginate(ME, { maxResults: pageSize, expansions: ['pinned_tweet_id'] });
    await kept.fetchNext();
    const first = kept.users.length;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(pageSize);
    expect(kept.meta?.nextToken).toBeTruthy();
    const second = kept.next();
    await kept.fetchNext();
    expect(kept.users.length).toBeGreaterThan(first);
    expect(kept.users.map((u) => u.id)).toEqual(ids.slice(0, kept.users.length));
    const included = kept.includes?.tweets ?? [];
    expect(included.length).toBeGreaterThan(0);
    expect(new Set(included.map((p: any) => p.id)).size).toBe(included.length);
    await second.fetchNext();
    expect(second.users.map((u) => u.id)).toEqual(ids.slice(first, kept.users.length));
    expect(second).toBeInstanceOf(UserPaginator);
  });
});

describe('rate limits', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ limits: { getUsersById: { app: 2 } }, users: 20, posts: 50 });
  });
  afterAll(async () => {
    await limited?.close();
  });

  it('a 429 is an ApiError with rate-limit info; with waitOnRateLimit the client waits for x-rate-limit-reset and retries', async () => {
    const c = new Client({ baseUrl: limited.url, bearerToken: limited.bearer });
    await c.users.getById(ME);
    await c.users.getById(ME);
    const e = await c.users.getById(ME).catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(429);
    expect(e.rateLimit.remaining).toBe(0);
    const reset = e.rateLimit.reset as number;

    const waits: number[] = [];
    const waiting = new Client({
      baseUrl: limited.url,
      bearerToken: limited.bearer,
      waitOnRateLimit: true,
      now: () => limited.clock.now(),
      // The server's clock moves by the time waited.
      sleep: async (ms) => {
        waits.push(ms);
        limited.clock.advance(ms);
      },
    });
    const ok = await waiting.users.getById(ME);
    expect(ok.data?.id).toBe(ME);
    expect(waits).toHaveLength(1);
    // Waited until one second past the window's reset, by the server's clock.
    expect(limited.clock.now()).toBe(reset * 1000 + 1000);
  });
});

// ---- driving the consent pages like a person ----

async function consentOAuth2(url: URL): Promise<URL> {
  const page = await fetch(url, { redirect: 'manual' });
  expect(page.status).toBe(200);
  const html = await page.text();
  const unesc = (x: string) => x.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const action = unesc(/<form method="post" action="([^"]+)"/.exec(html)![1]);
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]] = unesc(m[2]);
  const res = await fetch(new URL(action, s.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, username: 'XDevelopers', decision: 'authorize' }).toString(),
  });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!);
}

async function consentOAuth1(authUrl: string): Promise<string> {
  const page = await fetch(authUrl, { redirect: 'manual' });
  expect(page.status).toBe(200);
  const html = await page.text();
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';
  const u = new URL(authUrl);
  const res = await fetch(new URL(u.pathname, s.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ oauth_token: field('oauth_token'), csrf: field('csrf'), username: 'XDevelopers', action: 'approve' }).toString(),
  });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!).searchParams.get('oauth_verifier')!;
}
