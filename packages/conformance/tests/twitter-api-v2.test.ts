/**
 * twitter-api-v2 1.29.1, unmodified and constructed as for X, against a real Roost process in zero-change mode:
 * every everyday flow it supports. Its hard-coded https://api.x.com / upload.x.com reach Roost through the
 * worker's environment only (src/zero-change.ts): no plugin, no agent, no prefix.
 */
import { describe, expect, it } from 'vitest';
import { ApiResponseError, TwitterApi, TwitterV2IncludesHelper } from 'twitter-api-v2';
import {
  approve,
  expectFollowRoundTrip,
  followTarget,
  likers,
  MISSING_USERNAME,
  POST_EXPANSIONS,
  POST_FIELDS,
  POST_USER_FIELDS,
  postExists,
  postLookupQuery,
  RATE_LIMIT,
  RATE_LIMIT_ENV,
  referencingPost,
  reposters,
  roostPerFile,
  timelineIds,
  USER_EXPANSIONS,
  USER_FIELDS,
  userLookupQuery,
  XDEVELOPERS,
} from '../src/index.js';

const roost = roostPerFile({ env: RATE_LIMIT_ENV });

const appClient = () => new TwitterApi(roost.bearer);
const oauth1Client = () =>
  new TwitterApi({ appKey: roost.consumerKey, appSecret: roost.consumerSecret, accessToken: roost.oauth1.token, accessSecret: roost.oauth1.secret });
const oauth2Client = () => new TwitterApi(roost.userToken);

describe('twitter-api-v2: reads', () => {
  it('app-only bearer from POST /oauth2/token (appLogin)', async () => {
    const consumer = new TwitterApi({ appKey: roost.consumerKey, appSecret: roost.consumerSecret });
    const app = await consumer.appLogin();
    expect(app.getActiveTokens()).toEqual({ type: 'oauth2', bearerToken: roost.bearer });
    const u = await app.v2.userByUsername(XDEVELOPERS.username);
    expect(u.data.id).toBe(XDEVELOPERS.id);
  });

  it('user lookup by username and by ids, with fields and expansions', async () => {
    const app = appClient();
    const opts = { 'user.fields': USER_FIELDS, expansions: USER_EXPANSIONS, 'tweet.fields': ['created_at', 'public_metrics'] } as never;
    const byName = await app.v2.userByUsername('xdevelopers', opts);
    const expected = await roost.api('GET', `/2/users/by/username/xdevelopers?${userLookupQuery()}`);
    expect(byName).toEqual(expected.body);
    expect(byName.data.username).toBe(XDEVELOPERS.username);
    expect(byName.data.public_metrics!.followers_count).toBeGreaterThan(0);
    expect(byName.includes!.tweets![0].id).toBe(byName.data.pinned_tweet_id);

    const target = await followTarget(roost);
    const byIds = await app.v2.users([XDEVELOPERS.id, target.id], opts);
    const expectedIds = await roost.api('GET', `/2/users?ids=${XDEVELOPERS.id},${target.id}&${userLookupQuery()}`);
    expect(byIds).toEqual(expectedIds.body);
    expect(byIds.data.map((u) => u.username)).toEqual([XDEVELOPERS.username, target.username]);

    const byNames = await app.v2.usersByUsernames([XDEVELOPERS.username, target.username], opts);
    expect(byNames.data.map((u) => u.id)).toEqual([XDEVELOPERS.id, target.id]);
  });

  it('post lookup with expansions (and the library’s includes helper)', async () => {
    const post = await referencingPost(roost);
    const r = await appClient().v2.singleTweet(post.id, {
      'tweet.fields': POST_FIELDS,
      expansions: POST_EXPANSIONS,
      'user.fields': POST_USER_FIELDS,
    } as never);
    const expected = await roost.api('GET', `/2/tweets/${post.id}?${postLookupQuery()}`);
    expect(r).toEqual(expected.body);
    const includes = new TwitterV2IncludesHelper(r);
    expect(includes.author(r.data)?.username).toBe(XDEVELOPERS.username);
    const referenced = r.data.referenced_tweets!.find((x) => x.id === post.referencedId)!;
    expect(includes.tweetById(referenced.id)?.id).toBe(post.referencedId);

    const many = await appClient().v2.tweets([post.id, post.referencedId], { expansions: ['author_id'] } as never);
    expect(many.data.map((p) => p.id)).toEqual([post.id, post.referencedId]);
  });

  it('user timeline paginated to the end', async () => {
    const expected = await timelineIds(roost, XDEVELOPERS.id);
    expect(expected.length).toBeGreaterThan(40);
    const timeline = await appClient().v2.userTimeline(XDEVELOPERS.id, { max_results: 20, 'tweet.fields': ['created_at'] });
    await timeline.fetchLast(10_000);
    expect(timeline.done).toBe(true);
    const ids = timeline.tweets.map((t) => t.id);
    expect(ids).toEqual(expected);
    expect(new Set(ids).size).toBe(ids.length);
    expect(timeline.meta.result_count).toBeGreaterThan(0);
  });
});

describe.each([
  ['OAuth 1.0a', oauth1Client],
  ['OAuth 2.0 user token', oauth2Client],
])('twitter-api-v2: writes with %s', (_name, client) => {
  it('create a post, reply to it, like it, repost it, delete them', async () => {
    const user = client();
    const me = await user.v2.me();
    expect(me.data.id).toBe(XDEVELOPERS.id);

    const created = await user.v2.tweet(`conformance: twitter-api-v2 with ${_name}`);
    const id = created.data.id;
    expect(created.data.text).toBe(`conformance: twitter-api-v2 with ${_name}`);
    expect(await postExists(roost, id)).toBe(true);

    const reply = await user.v2.reply(`a reply from twitter-api-v2 with ${_name}`, id);
    const replyPost = await roost.api('GET', `/2/tweets/${reply.data.id}?tweet.fields=referenced_tweets,in_reply_to_user_id`);
    expect(replyPost.body.data.referenced_tweets).toEqual([{ type: 'replied_to', id }]);
    expect(replyPost.body.data.in_reply_to_user_id).toBe(XDEVELOPERS.id);

    expect(await user.v2.like(me.data.id, id)).toEqual({ data: { liked: true } });
    expect(await likers(roost, id)).toContain(XDEVELOPERS.id);
    const repost = await user.v2.retweet(me.data.id, id);
    expect(repost.data.retweeted).toBe(true);
    expect(await reposters(roost, id)).toContain(XDEVELOPERS.id);
    expect(await user.v2.unlike(me.data.id, id)).toEqual({ data: { liked: false } });
    expect(await likers(roost, id)).not.toContain(XDEVELOPERS.id);
    expect(await user.v2.unretweet(me.data.id, id)).toEqual({ data: { retweeted: false } });
    expect(await reposters(roost, id)).not.toContain(XDEVELOPERS.id);

    expect(await user.v2.deleteTweet(reply.data.id)).toEqual({ data: { deleted: true } });
    expect(await user.v2.deleteTweet(id)).toEqual({ data: { deleted: true } });
    expect(await postExists(roost, id)).toBe(false);
    expect(await postExists(roost, reply.data.id)).toBe(false);
  });

  it('follow and unfollow', async () => {
    const user = client();
    await expectFollowRoundTrip(
      roost,
      { follow: (id) => user.v2.follow(XDEVELOPERS.id, id), unfollow: (id) => user.v2.unfollow(XDEVELOPERS.id, id) },
      { followed: { data: { following: true, pending_follow: false } }, unfollowed: { data: { following: false } } },
    );
  });
});

describe('twitter-api-v2: OAuth flows end to end', () => {
  it('OAuth 1.0a: request token → consent page → access token → signed calls as that user', async () => {
    const consumer = new TwitterApi({ appKey: roost.consumerKey, appSecret: roost.consumerSecret });
    const link = await consumer.generateAuthLink('http://127.0.0.1/callback', { linkMode: 'authorize' });
    expect(link.oauth_callback_confirmed).toBe('true');
    expect(link.url).toBe(`https://api.x.com/oauth/authorize?oauth_token=${link.oauth_token}`);
    const target = await followTarget(roost);
    const callback = await approve(link.url, target.username);
    expect(callback.origin + callback.pathname).toBe('http://127.0.0.1/callback');
    expect(callback.searchParams.get('oauth_token')).toBe(link.oauth_token);

    const pending = new TwitterApi(
      { appKey: roost.consumerKey, appSecret: roost.consumerSecret, accessToken: link.oauth_token, accessSecret: link.oauth_token_secret },
    );
    const login = await pending.login(callback.searchParams.get('oauth_verifier')!);
    expect(login.userId).toBe(target.id);
    expect(login.screenName).toBe(target.username);
    const me = await login.client.v2.me();
    expect(me.data).toMatchObject({ id: target.id, username: target.username });
    const v1 = await login.client.currentUser();
    expect(v1.id_str).toBe(target.id);
    const post = await login.client.v2.tweet('signed by a token from the three-legged flow');
    expect(await postExists(roost, post.data.id)).toBe(true);
    await login.client.v2.deleteTweet(post.data.id);
  });

  it('OAuth 2.0 Authorization Code with PKCE: link → consent page → token → refresh → revoke', async () => {
    const oauth = new TwitterApi({ clientId: roost.clientId, clientSecret: roost.clientSecret });
    const redirectUri = 'http://127.0.0.1:8765/callback';
    const link = oauth.generateOAuth2AuthLink(redirectUri, { scope: ['tweet.read', 'tweet.write', 'users.read', 'offline.access'] });
    expect(link.url.startsWith('https://x.com/i/oauth2/authorize?')).toBe(true);
    const callback = await approve(link.url, XDEVELOPERS.username);
    expect(callback.origin + callback.pathname).toBe(redirectUri);
    expect(callback.searchParams.get('state')).toBe(link.state);

    const login = await oauth.loginWithOAuth2({ code: callback.searchParams.get('code')!, codeVerifier: link.codeVerifier, redirectUri });
    expect(login.scope.sort()).toEqual(['offline.access', 'tweet.read', 'tweet.write', 'users.read']);
    expect(login.expiresIn).toBe(7200);
    expect(login.refreshToken).toBeTruthy();
    expect((await login.client.v2.me()).data.id).toBe(XDEVELOPERS.id);
    const post = await login.client.v2.tweet('posted with a PKCE token');
    await login.client.v2.deleteTweet(post.data.id);

    const refreshed = await oauth.refreshOAuth2Token(login.refreshToken!);
    expect(refreshed.accessToken).not.toBe(login.accessToken);
    expect((await refreshed.client.v2.me()).data.id).toBe(XDEVELOPERS.id);
    // Rotation: the first refresh token is spent.
    await expect(oauth.refreshOAuth2Token(login.refreshToken!)).rejects.toBeInstanceOf(ApiResponseError);

    await oauth.revokeOAuth2Token(refreshed.accessToken, 'access_token');
    const revoked = await refreshed.client.v2.me().catch((e: unknown) => e);
    expect(revoked).toBeInstanceOf(ApiResponseError);
    expect((revoked as ApiResponseError).code).toBe(401);
  });
});

describe('twitter-api-v2: X error bodies', () => {
  it('401, 400 invalid request and a not-found lookup, as the library reports them', async () => {
    const unauthorized = await new TwitterApi('not-a-token').v2.userByUsername(XDEVELOPERS.username).catch((e: unknown) => e);
    expect(unauthorized).toBeInstanceOf(ApiResponseError);
    expect((unauthorized as ApiResponseError).code).toBe(401);
    expect((unauthorized as ApiResponseError).data).toMatchObject({ title: 'Unauthorized', status: 401 });

    const invalid = await appClient().v2.userByUsername(XDEVELOPERS.username, { 'user.fields': ['bogus'] } as never).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(ApiResponseError);
    const e = invalid as ApiResponseError;
    expect(e.code).toBe(400);
    expect(e.data).toEqual((await roost.api('GET', `/2/users/by/username/${XDEVELOPERS.username}?user.fields=bogus`)).body);
    expect(e.data.errors![0]).toMatchObject({ parameters: { 'user.fields': ['bogus'] } });
    expect(e.errors![0]).toMatchObject({ parameters: { 'user.fields': ['bogus'] } });

    const missing = await appClient().v2.userByUsername(MISSING_USERNAME);
    expect(missing.data).toBeUndefined();
    expect(missing.errors).toEqual([expect.objectContaining({ title: 'Not Found Error', resource_id: MISSING_USERNAME, parameter: 'username' })]);
  });
});

describe('twitter-api-v2: rate limits', () => {
  it('reads x-rate-limit-* and surfaces the 429 as a rate-limit ApiResponseError', async () => {
    const app = appClient();
    const post = await referencingPost(roost);
    const first = await app.v2.quotes(post.id);
    const limit = first.rateLimit;
    expect(limit.limit).toBe(RATE_LIMIT);
    expect(limit.remaining).toBe(RATE_LIMIT - 1);
    const now = Math.floor(Date.now() / 1000);
    expect(limit.reset).toBeGreaterThan(now);
    expect(limit.reset).toBeLessThanOrEqual(now + 15 * 60);

    // Until the 429 (a window boundary crossed meanwhile only delays it by one more window's worth).
    let error: unknown;
    for (let i = 0; i < 2 * RATE_LIMIT + 1 && !error; i++) error = await app.v2.quotes(post.id).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ApiResponseError);
    const e = error as ApiResponseError;
    expect(e.code).toBe(429);
    expect(e.rateLimitError).toBe(true);
    expect(e.rateLimit).toMatchObject({ limit: RATE_LIMIT, remaining: 0 });
    expect(e.rateLimit!.reset).toBeGreaterThanOrEqual(limit.reset);
    expect(e.data).toMatchObject({ title: 'Too Many Requests' });
  });
});
