/**
 * tweepy 4.12.1 (Debian's python3-tweepy under /usr/bin/python3), unmodified and constructed as for X, against a
 * real Roost process in zero-change mode: its hard-coded https://api.twitter.com reaches Roost through the
 * environment `roost trust` prints (HTTPS_PROXY and the CA bundle), nothing else. python/flows.py runs every flow
 * in one Python process and reports what tweepy returned and what Roost then held; the assertions are here.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  followTarget,
  MISSING_USERNAME,
  POST_EXPANSIONS,
  POST_FIELDS,
  POST_USER_FIELDS,
  postLookupQuery,
  RATE_LIMIT,
  RATE_LIMIT_ENV,
  referencingPost,
  runTweepy,
  startRoost,
  timelineIds,
  tweepyStatus,
  USER_EXPANSIONS,
  USER_FIELDS,
  userLookupQuery,
  XDEVELOPERS,
  type FlowResult,
  type Roost,
} from '../src/index.js';

const tweepy = tweepyStatus();
// CI installs python3-tweepy (.ci/run): there a missing tweepy fails the suite instead of skipping it.
const runIt = tweepy.ok || process.env.CI === 'true';
if (!runIt) console.warn(`tweepy flows skipped (not CI): ${!tweepy.ok && tweepy.reason}. Install: apt-get install -y python3-tweepy`);

let roost: Roost;
let results: Record<string, FlowResult>;
let target: { id: string; username: string };
let post: { id: string; referencedId: string };
const expected: Record<string, any> = {};

describe.runIf(runIt)('tweepy', () => {
  beforeAll(async () => {
    if (!tweepy.ok) throw new Error(`/usr/bin/python3 cannot import tweepy (${tweepy.reason}); CI must install python3-tweepy`);
    roost = await startRoost(inject('roostTemplate'), { env: RATE_LIMIT_ENV });
    target = await followTarget(roost);
    post = await referencingPost(roost);
    // The reads' expected answers, taken before tweepy writes anything.
    expected.byUsername = (await roost.api('GET', `/2/users/by/username/xdevelopers?${userLookupQuery()}`)).body;
    expected.byIds = (await roost.api('GET', `/2/users?ids=${XDEVELOPERS.id},${target.id}&${userLookupQuery()}`)).body;
    expected.post = (await roost.api('GET', `/2/tweets/${post.id}?${postLookupQuery()}`)).body;
    expected.timeline = await timelineIds(roost, XDEVELOPERS.id);
    results = await runTweepy(roost, 'core', {
      bearer: roost.bearer,
      user_token: roost.userToken,
      consumer_key: roost.consumerKey,
      consumer_secret: roost.consumerSecret,
      oauth1_token: roost.oauth1.token,
      oauth1_secret: roost.oauth1.secret,
      client_id: roost.clientId,
      client_secret: roost.clientSecret,
      me: XDEVELOPERS,
      target,
      post: { id: post.id, referenced_id: post.referencedId },
      user_fields: USER_FIELDS,
      user_expansions: USER_EXPANSIONS,
      post_fields: POST_FIELDS,
      post_expansions: POST_EXPANSIONS,
      post_user_fields: POST_USER_FIELDS,
      rate_limit: RATE_LIMIT,
      missing_username: MISSING_USERNAME,
    });
    expected.invalid = (await roost.api('GET', `/2/users/by/username/${XDEVELOPERS.username}?user.fields=bogus`)).body;
  });
  afterAll(async () => {
    await roost?.stop();
  });

  /** One flow's record; a flow that raised fails here with tweepy's traceback. */
  function flow(name: string): Record<string, any> {
    const r = results[name];
    if (!r) throw new Error(`flow ${name} did not run`);
    if (!r.ok) throw new Error(`${name}: ${r.error}\n${r.trace}`);
    return r;
  }

  it('app-only bearer from POST /oauth2/token (OAuth2AppHandler)', () => {
    const r = flow('app_only_bearer');
    expect(r.bearer).toBe(roost.bearer);
    expect(r.user_id).toBe(XDEVELOPERS.id);
  });

  it('user lookup by username and by ids, with fields and expansions', () => {
    const r = flow('user_lookup');
    expect(r.by_username).toEqual(expected.byUsername);
    expect(r.by_ids).toEqual(expected.byIds);
    expect(r.by_usernames_ids).toEqual([XDEVELOPERS.id, target.id]);
    expect(r.username).toBe(XDEVELOPERS.username);
    expect(r.followers_count).toBeGreaterThan(0);
    expect(r.pinned_included).toBe(r.pinned_tweet_id);
  });

  it('post lookup with expansions', () => {
    const r = flow('post_lookup');
    expect(r.post).toEqual(expected.post);
    expect(r.author_id).toBe(XDEVELOPERS.id);
    expect(r.author_usernames).toContain(XDEVELOPERS.username);
    expect(r.included_post_ids).toContain(post.referencedId);
    expect(r.referenced.map((x: { id: string }) => x.id)).toContain(post.referencedId);
    expect(r.many).toEqual([post.id, post.referencedId]);
  });

  it('user timeline paginated to the end (tweepy.Paginator)', () => {
    const r = flow('timeline');
    expect(expected.timeline.length).toBeGreaterThan(40);
    expect(r.ids).toEqual(expected.timeline);
    expect(r.pages).toBe(Math.ceil(expected.timeline.length / 20));
  });

  describe.each([
    ['OAuth 1.0a', 'oauth1'],
    ['OAuth 2.0 user token', 'oauth2'],
  ])('writes with %s', (label, key) => {
    it('create a post, reply to it, like it, repost it, delete them', () => {
      const r = flow(`writes_${key}`);
      expect(r.me).toBe(XDEVELOPERS.id);
      expect(r.created.text).toBe(`conformance: tweepy with ${label}`);
      expect(r.existed).toBe(true);
      expect(r.reply_view.referenced_tweets).toEqual([{ type: 'replied_to', id: r.created.id }]);
      expect(r.reply_view.in_reply_to_user_id).toBe(XDEVELOPERS.id);
      expect(r.like).toEqual({ liked: true });
      expect(r.likers_after_like).toContain(XDEVELOPERS.id);
      expect(r.repost.retweeted).toBe(true);
      expect(r.reposters_after_repost).toContain(XDEVELOPERS.id);
      expect(r.unlike).toEqual({ liked: false });
      expect(r.likers_after_unlike).not.toContain(XDEVELOPERS.id);
      expect(r.unrepost).toEqual({ retweeted: false });
      expect(r.reposters_after_unrepost).not.toContain(XDEVELOPERS.id);
      expect(r.delete_reply).toEqual({ deleted: true });
      expect(r.delete).toEqual({ deleted: true });
      expect(r.exists_after_delete).toEqual([false, false]);
    });

    it('follow and unfollow', () => {
      const r = flow(`follow_${key}`);
      expect(r.follow).toEqual({ following: true, pending_follow: false });
      expect(r.during).toBe(r.before + 1);
      expect(r.unfollow).toEqual({ following: false });
      expect(r.after).toBe(r.before);
    });
  });

  it('OAuth 1.0a: request token → consent page → access token → signed calls as that user', () => {
    const r = flow('oauth1_flow');
    expect(r.link).toBe(`https://api.twitter.com/oauth/authorize?oauth_token=${r.request_token}`);
    const callback = new URL(r.callback);
    expect(callback.origin + callback.pathname).toBe('http://127.0.0.1/callback');
    expect(callback.searchParams.get('oauth_token')).toBe(r.request_token);
    expect(r.access_token.startsWith(`${target.id}-`)).toBe(true);
    expect(r.me).toEqual({ id: target.id, username: target.username });
    expect(r.posted).toBe(true);
  });

  it('OAuth 2.0 Authorization Code with PKCE: authorization URL → consent page → token → refresh', () => {
    const r = flow('oauth2_flow');
    const link = new URL(r.link);
    expect(link.origin + link.pathname).toBe('https://twitter.com/i/oauth2/authorize');
    expect(link.searchParams.get('code_challenge_method')).toBe('S256');
    const callback = new URL(r.callback);
    expect(callback.origin + callback.pathname).toBe('http://127.0.0.1:8767/callback');
    expect(callback.searchParams.get('state')).toBe(link.searchParams.get('state'));
    expect(r.token.token_type).toBe('bearer');
    expect(r.token.expires_in).toBe(7200);
    expect([...r.token.scope].sort()).toEqual(['offline.access', 'tweet.read', 'tweet.write', 'users.read']);
    expect(r.me).toBe(XDEVELOPERS.id);
    expect(r.posted).toBe('posted with a tweepy PKCE token');
    expect(r.refreshed_differs).toBe(true);
    expect(r.me_after_refresh).toBe(XDEVELOPERS.id);
  });

  it('X error bodies: tweepy.Unauthorized, tweepy.BadRequest with X’s messages, a not-found lookup', () => {
    const r = flow('error_bodies');
    expect(r.unauthorized).toEqual({ status: 401, messages: ['Unauthorized'] });
    expect(r.bad_request.status).toBe(400);
    expect(r.bad_request.errors).toEqual(expected.invalid.errors);
    expect(r.bad_request.messages).toEqual([expected.invalid.errors[0].message]);
    expect(r.missing.data).toBeNull();
    expect(r.missing.errors).toEqual([expect.objectContaining({ title: 'Not Found Error', resource_id: MISSING_USERNAME, parameter: 'username' })]);
  });

  it('rate limits: headers on the response, 429 as tweepy.TooManyRequests, wait_on_rate_limit sleeps until x-rate-limit-reset', () => {
    const r = flow('rate_limit');
    expect(r.headers['x-rate-limit-limit']).toBe(String(RATE_LIMIT));
    expect(r.headers['x-rate-limit-remaining']).toBe(String(RATE_LIMIT - 1));
    const reset = Number(r.headers['x-rate-limit-reset']);
    expect(reset).toBeGreaterThan(r.now);
    expect(reset).toBeLessThanOrEqual(r.now + 15 * 60);
    expect(r.error).toMatchObject({ class: 'TooManyRequests', status: 429, remaining: '0' });
    expect(Number(r.error.reset)).toBeGreaterThanOrEqual(reset);
    // tweepy computes reset - now + 1 from the header and sleeps that long (at most one 15-minute window).
    expect(r.waited).toHaveLength(1);
    expect(r.waited[0]).toBeGreaterThan(0);
    expect(r.waited[0]).toBeLessThanOrEqual(15 * 60 + 1);
  });
});
