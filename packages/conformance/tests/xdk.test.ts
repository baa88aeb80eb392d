/**
 * @xdevplatform/xdk 0.6.6 (X's official TypeScript SDK), unmodified and constructed as for X (no `baseUrl`),
 * against a real Roost process in zero-change mode: the clients and the OAuth helpers call https://api.x.com and
 * https://x.com, which the worker's environment sends to Roost (src/zero-change.ts); the global fetch is
 * untouched. The SDK speaks the spec's 2.167 names (`post.fields`, `pinned_post_id`, `referenced_posts`) and
 * camelCases every answer.
 */
import { describe, expect, it } from 'vitest';
import { ApiError, Client, OAuth1, OAuth2, PostPaginator, generateCodeVerifier } from '@xdevplatform/xdk';
import {
  approve,
  expectFollowRoundTrip,
  xdkPagesToEnd,
  camelize,
  followTarget,
  likers,
  MISSING_USERNAME,
  postExists,
  RATE_LIMIT,
  RATE_LIMIT_ENV,
  referencingPost,
  reposters,
  roostPerFile,
  timelineIds,
  XDEVELOPERS,
} from '../src/index.js';

const roost = roostPerFile({ env: RATE_LIMIT_ENV });

const USER_FIELDS = ['created_at', 'description', 'public_metrics', 'protected', 'verified'] as const;
const POST_FIELDS = ['created_at', 'conversation_id', 'public_metrics', 'entities', 'lang'] as const;
const POST_EXPANSIONS = ['author_id', 'referenced_posts', 'in_reply_to_user_id'] as const;

const appClient = () => new Client({ bearerToken: roost.bearer });
const oauth1Client = () =>
  new Client({
    oauth1: new OAuth1({
      apiKey: roost.consumerKey,
      apiSecret: roost.consumerSecret,
      callback: 'oob',
      accessToken: roost.oauth1.token,
      accessTokenSecret: roost.oauth1.secret,
    }),
  });
const oauth2Client = () => new Client({ accessToken: roost.userToken });

describe('xdk: reads', () => {
  it('an app-only bearer from POST /oauth2/token (fetched by the app: the SDK has no client_credentials helper)', async () => {
    const r = await fetch('https://api.x.com/oauth2/token', {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${roost.consumerKey}:${roost.consumerSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
      },
      body: 'grant_type=client_credentials',
    });
    const token = (await r.json()) as { token_type: string; access_token: string };
    expect(token.token_type).toBe('bearer');
    const client = new Client({ bearerToken: token.access_token });
    const me = await client.users.getByUsername(XDEVELOPERS.username);
    expect(me.data!.id).toBe(XDEVELOPERS.id);
  });

  it('user lookup by username and by ids, with fields and expansions', async () => {
    const app = appClient();
    const opts = { userFields: [...USER_FIELDS], expansions: ['pinned_post_id' as const], postFields: ['created_at' as const, 'public_metrics' as const] };
    const query = `user.fields=${USER_FIELDS.join(',')}&expansions=pinned_post_id&post.fields=created_at,public_metrics`;
    const byName = await app.users.getByUsername('xdevelopers', opts);
    const expected = await roost.api('GET', `/2/users/by/username/xdevelopers?${query}`);
    expect(byName).toEqual(camelize(expected.body));
    expect(byName.data!.username).toBe(XDEVELOPERS.username);
    expect(byName.data!.publicMetrics!.followersCount).toBeGreaterThan(0);
    // The pinned post, expanded (2.167 names: `includes.posts`).
    const pinned = (byName.includes as { posts?: { id: string; createdAt: string; publicMetrics: object }[] }).posts!;
    expect(pinned).toHaveLength(1);
    expect(pinned[0].createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(pinned[0].publicMetrics).toBeDefined();

    const target = await followTarget(roost);
    const byIds = await app.users.getByIds([XDEVELOPERS.id, target.id], opts);
    const expectedIds = await roost.api('GET', `/2/users?ids=${XDEVELOPERS.id},${target.id}&${query}`);
    expect(byIds).toEqual(camelize(expectedIds.body));
    expect(byIds.data!.map((u) => u.username)).toEqual([XDEVELOPERS.username, target.username]);

    const byNames = await app.users.getByUsernames([XDEVELOPERS.username, target.username], opts);
    expect(byNames.data!.map((u) => u.id)).toEqual([XDEVELOPERS.id, target.id]);
  });

  it('post lookup with expansions', async () => {
    const post = await referencingPost(roost);
    const r = await appClient().posts.getById(post.id, {
      postFields: [...POST_FIELDS],
      expansions: [...POST_EXPANSIONS],
      userFields: ['username', 'name', 'verified'],
    });
    const expected = await roost.api(
      'GET',
      `/2/tweets/${post.id}?post.fields=${POST_FIELDS.join(',')}&expansions=${POST_EXPANSIONS.join(',')}&user.fields=username,name,verified`,
    );
    expect(r).toEqual(camelize(expected.body));
    expect(r.includes!.users!.map((u) => u.id)).toContain(XDEVELOPERS.id);
    const included = Object.values(r.includes ?? {}).flat().map((x) => (x as { id: string }).id);
    expect(included).toContain(post.referencedId);

    const many = await appClient().posts.getByIds([post.id, post.referencedId]);
    expect(many.data!.map((p) => p.id)).toEqual([post.id, post.referencedId]);
  });

  it('user timeline paginated to the end (the SDK’s PostPaginator)', async () => {
    const expected = await timelineIds(roost, XDEVELOPERS.id);
    expect(expected.length).toBeGreaterThan(40);
    const app = appClient();
    const { timeline, pages } = await xdkPagesToEnd(async (token) => {
      const page = await app.users.getPosts(XDEVELOPERS.id, { maxResults: 20, paginationToken: token, postFields: ['created_at'] });
      return { data: page.data ?? [], meta: page.meta, includes: page.includes, errors: page.errors };
    });
    expect(timeline.done).toBe(true);
    expect(pages).toBe(Math.ceil(expected.length / 20));
    expect(timeline.posts.map((p: { id: string }) => p.id)).toEqual(expected);
  });
});

describe.each([
  ['OAuth 1.0a', oauth1Client],
  ['OAuth 2.0 user token', oauth2Client],
])('xdk: writes with %s', (name, client) => {
  it('create a post, reply to it, like it, repost it, delete them', async () => {
    const user = client();
    const me = (await user.users.getMe()).data as { id: string };
    expect(me.id).toBe(XDEVELOPERS.id);

    const created = await user.posts.create({ text: `conformance: xdk with ${name}` });
    const id = created.data!.id;
    expect(created.data!.text).toBe(`conformance: xdk with ${name}`);
    expect(await postExists(roost, id)).toBe(true);

    const reply = await user.posts.create({ text: `a reply from xdk with ${name}`, reply: { inReplyToTweetId: id } });
    const replyPost = await roost.api('GET', `/2/tweets/${reply.data!.id}?tweet.fields=referenced_tweets,in_reply_to_user_id`);
    expect(replyPost.body.data.referenced_tweets).toEqual([{ type: 'replied_to', id }]);

    expect((await user.users.likePost(me.id, { tweetId: id })).data).toEqual({ liked: true });
    expect(await likers(roost, id)).toContain(XDEVELOPERS.id);
    expect((await user.users.repostPost(me.id, { tweetId: id })).data!.retweeted).toBe(true);
    expect(await reposters(roost, id)).toContain(XDEVELOPERS.id);
    expect((await user.users.unlikePost(me.id, id)).data).toEqual({ liked: false });
    expect(await likers(roost, id)).not.toContain(XDEVELOPERS.id);
    expect((await user.users.unrepostPost(me.id, id)).data).toEqual({ retweeted: false });
    expect(await reposters(roost, id)).not.toContain(XDEVELOPERS.id);

    expect((await user.posts.delete(reply.data!.id)).data).toEqual({ deleted: true });
    expect((await user.posts.delete(id)).data).toEqual({ deleted: true });
    expect(await postExists(roost, id)).toBe(false);
    expect(await postExists(roost, reply.data!.id)).toBe(false);
  });

  it('follow and unfollow', async () => {
    const user = client();
    await expectFollowRoundTrip(
      roost,
      {
        follow: async (id) => (await user.users.followUser(XDEVELOPERS.id, { targetUserId: id })).data,
        unfollow: async (id) => (await user.users.unfollowUser(XDEVELOPERS.id, id)).data,
      },
      { followed: { following: true, pendingFollow: false }, unfollowed: { following: false } },
    );
  });
});

describe('xdk: OAuth flows end to end', () => {
  it('OAuth 1.0a: request token → consent page → access token → signed calls as that user', async () => {
    const flow = new OAuth1({ apiKey: roost.consumerKey, apiSecret: roost.consumerSecret, callback: 'http://127.0.0.1/callback' });
    const link = await flow.startOAuthFlow();
    expect(link).toBe(`https://x.com/oauth/authorize?oauth_token=${flow.requestToken!.oauthToken}`);
    const target = await followTarget(roost);
    const callback = await approve(link, target.username);
    expect(callback.searchParams.get('oauth_token')).toBe(flow.requestToken!.oauthToken);
    const access = await flow.getAccessToken(callback.searchParams.get('oauth_verifier')!);
    expect(access.accessToken.startsWith(`${target.id}-`)).toBe(true);

    // A new OAuth1 holding the access token: the flow object keeps signing with the request token's secret.
    const user = new Client({
      oauth1: new OAuth1({ apiKey: roost.consumerKey, apiSecret: roost.consumerSecret, callback: 'oob', ...access }),
    });
    const me = await user.users.getMe();
    expect(me.data).toMatchObject({ id: target.id, username: target.username });
    const post = await user.posts.create({ text: 'signed by an xdk three-legged token' });
    expect(await postExists(roost, post.data!.id)).toBe(true);
    await user.posts.delete(post.data!.id);
  });

  it('OAuth 2.0 Authorization Code with PKCE: authorization URL → consent page → code exchange → refresh', async () => {
    const redirectUri = 'http://localhost:8766/callback';
    const flow = new OAuth2({
      clientId: roost.clientId,
      clientSecret: roost.clientSecret,
      redirectUri,
      scope: ['tweet.read', 'tweet.write', 'users.read', 'offline.access'],
    });
    const verifier = generateCodeVerifier();
    await flow.setPkceParameters(verifier);
    const link = await flow.getAuthorizationUrl('xdk-state');
    expect(link.startsWith('https://x.com/i/oauth2/authorize?')).toBe(true);
    const callback = await approve(link, XDEVELOPERS.username);
    expect(callback.origin + callback.pathname).toBe(redirectUri);
    expect(callback.searchParams.get('state')).toBe('xdk-state');

    const token = await flow.exchangeCode(callback.searchParams.get('code')!, verifier);
    expect(token.token_type).toBe('bearer');
    expect(token.scope!.split(' ').sort()).toEqual(['offline.access', 'tweet.read', 'tweet.write', 'users.read']);
    const user = new Client({ accessToken: token.access_token });
    expect((await user.users.getMe()).data!.id).toBe(XDEVELOPERS.id);
    const post = await user.posts.create({ text: 'posted with an xdk PKCE token' });
    await user.posts.delete(post.data!.id);

    const refreshed = await flow.refreshToken();
    expect(refreshed.access_token).not.toBe(token.access_token);
    expect(refreshed.refresh_token).not.toBe(token.refresh_token);
    const again = new Client({ accessToken: refreshed.access_token });
    expect((await again.users.getMe()).data!.id).toBe(XDEVELOPERS.id);
  });
});

describe('xdk: X error bodies', () => {
  it('401, 400 invalid request and a not-found lookup, as the SDK reports them', async () => {
    const unauthorized = await new Client({ bearerToken: 'not-a-token' }).users.getByUsername(XDEVELOPERS.username).catch((e: unknown) => e);
    expect(unauthorized).toBeInstanceOf(ApiError);
    expect((unauthorized as ApiError).status).toBe(401);
    expect((unauthorized as ApiError).data).toMatchObject({ title: 'Unauthorized', status: 401 });

    const invalid = await appClient().users.getByUsername(XDEVELOPERS.username, { userFields: ['bogus' as never] }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ApiError);
    expect((invalid as ApiError).status).toBe(400);
    // Error bodies are passed through untransformed.
    expect((invalid as ApiError).data).toEqual((await roost.api('GET', `/2/users/by/username/${XDEVELOPERS.username}?user.fields=bogus`)).body);

    const missing = await appClient().users.getByUsername(MISSING_USERNAME);
    expect(missing.data).toBeUndefined();
    expect(missing.errors).toEqual([expect.objectContaining({ title: 'Not Found Error', resourceId: MISSING_USERNAME, parameter: 'username' })]);
  });
});

describe('xdk: rate limits', () => {
  it('x-rate-limit-* on the raw response; the 429 is an ApiError and stops the paginator', async () => {
    const app = appClient();
    const post = await referencingPost(roost);
    const raw = (await app.posts.getQuoted(post.id, { requestOptions: { raw: true } })) as unknown as Response;
    expect(raw.status).toBe(200);
    expect(raw.headers.get('x-rate-limit-limit')).toBe(String(RATE_LIMIT));
    expect(raw.headers.get('x-rate-limit-remaining')).toBe(String(RATE_LIMIT - 1));
    const reset = Number(raw.headers.get('x-rate-limit-reset'));
    const now = Math.floor(Date.now() / 1000);
    expect(reset).toBeGreaterThan(now);
    expect(reset).toBeLessThanOrEqual(now + 15 * 60);

    let error: unknown;
    for (let i = 0; i < 2 * RATE_LIMIT + 1 && !error; i++) error = await app.posts.getQuoted(post.id).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const e = error as ApiError;
    expect(e.status).toBe(429);
    expect(e.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(Number(e.headers.get('x-rate-limit-reset'))).toBeGreaterThanOrEqual(reset);
    expect(e.data).toMatchObject({ title: 'Too Many Requests' });

    const quotes = new PostPaginator(async (token) => {
      const page = await app.posts.getQuoted(post.id, { paginationToken: token });
      return { data: page.data ?? [], meta: page.meta };
    });
    await expect(quotes.fetchNext()).rejects.toBeInstanceOf(ApiError);
    expect(quotes.rateLimited).toBe(true);
    expect(quotes.done).toBe(true);
  });
});
