/**
 * @roost/testing end to end: a real Roost child process driven through the harness — fixed credentials that work
 * with each auth scheme, users and tokens on demand, the request log, faults handled by a client's retry, time
 * travel across a rate-limit window, reset, and a clean stop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, OAuth1 } from '../../sdk/src/index.js';
import { DEFAULT_CREDENTIALS, RoostError, startRoost, XDEVELOPERS, type Roost } from '../src/index.js';

let roost: Roost;

beforeAll(async () => {
  roost = await startRoost({ limits: { getUsersByUsername: { app: 3 } } });
});
afterAll(async () => {
  await roost?.stop();
});

const bearerClient = (extra: Record<string, unknown> = {}) =>
  new Client({ baseUrl: roost.url, bearerToken: roost.credentials.bearerToken, camelCase: false, ...extra });

describe('startRoost', () => {
  it('serves on a local URL with the fixed credentials, each of which works', async () => {
    expect(roost.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(roost.credentials).toEqual(DEFAULT_CREDENTIALS);
    const health = await fetch(`${roost.url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });

    const app = await bearerClient().users.getByUsername('XDevelopers');
    expect(app.data?.id).toBe(XDEVELOPERS.id);
    const oauth1 = new OAuth1({
      apiKey: roost.credentials.consumerKey,
      apiSecret: roost.credentials.consumerSecret,
      accessToken: roost.credentials.accessToken,
      accessTokenSecret: roost.credentials.accessTokenSecret,
    });
    const viaOAuth1 = await new Client({ baseUrl: roost.url, oauth1 }).users.getMe();
    expect(viaOAuth1.data?.username).toBe('XDevelopers');
    const viaOAuth2 = await new Client({ baseUrl: roost.url, accessToken: roost.credentials.userToken }).users.getMe();
    expect(viaOAuth2.data?.username).toBe('XDevelopers');
    const appOnly = await fetch(`${roost.url}/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${roost.credentials.consumerKey}:${roost.credentials.consumerSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    expect(((await appOnly.json()) as { access_token: string }).access_token).toBe(roost.credentials.bearerToken);
  });

  it('makes users and their tokens; the request log says what was posted, with which auth', async () => {
    const bot = await roost.users.create({ username: 'mybot', name: 'My Bot' });
    expect(bot).toMatchObject({ username: 'mybot', name: 'My Bot' });
    const pair = await roost.tokens.oauth1(bot);
    const oauth1 = new OAuth1({ apiKey: roost.credentials.consumerKey, apiSecret: roost.credentials.consumerSecret, ...pair });
    await new Client({ baseUrl: roost.url, oauth1 }).posts.create({ text: 'hello from my bot' });
    const token = await roost.tokens.oauth2('@mybot', ['tweet.read', 'tweet.write', 'users.read']);
    await new Client({ baseUrl: roost.url, accessToken: token }).posts.create({ text: 'and again, with OAuth 2.0' });

    const posts = await roost.requests.list({ operationId: 'createPosts', userId: bot.id });
    expect(posts.map((r) => [r.auth, r.status, r.body])).toEqual([
      ['oauth1-user', 201, { text: 'hello from my bot' }],
      ['oauth2-user', 201, { text: 'and again, with OAuth 2.0' }],
    ]);
    expect(posts[0]).toMatchObject({ method: 'POST', path: '/2/tweets', appId: roost.appId });
    expect(posts[0]!.at).toBeInstanceOf(Date);
    expect((await roost.requests.last())?.body).toEqual({ text: 'and again, with OAuth 2.0' });
    await roost.requests.clear();
    expect(await roost.requests.list()).toEqual([]);
  });

  it("an injected 429 is retried by the client's rate-limit handling", async () => {
    const rule = await roost.faults.add({ fault: 'rate-limit', operation: 'getUsersMe', count: 1, resetInSeconds: 1 });
    expect(rule).toMatchObject({ fault: 'rate-limit', count: 1, resetInSeconds: 1, fired: 0, active: true });
    const client = new Client({ baseUrl: roost.url, accessToken: roost.credentials.userToken, waitOnRateLimit: true, now: roost.clock.now });
    const me = await client.users.getMe();
    expect(me.data?.username).toBe('XDevelopers');
    const calls = await roost.requests.list({ operationId: 'getUsersMe' });
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[0]!.fault).toBe(rule.id);
    expect((await roost.faults.list())[0]).toMatchObject({ fired: 1, active: false });
    await roost.faults.clear();
  });

  it('time travel: a 15-minute window resets after clock.advance(15 min)', async () => {
    await roost.clock.freeze();
    const lookup = () => fetch(`${roost.url}/2/users/by/username/XDevelopers`, { headers: { authorization: `Bearer ${roost.credentials.bearerToken}` } });
    let last = await lookup();
    while (last.status === 200) last = await lookup();
    expect(last.status).toBe(429);
    const reset = Number(last.headers.get('x-rate-limit-reset')) * 1000;
    const before = roost.clock.now();
    const moved = await roost.clock.advance(15 * 60_000);
    expect(moved.frozen).toBe(true);
    expect(moved.now.getTime()).toBe(before + 15 * 60_000);
    expect(roost.clock.now()).toBeGreaterThanOrEqual(reset);
    expect((await lookup()).status).toBe(200);
  });

  it('reset: back to the start world and clock, no faults, an empty log; the same URL', async () => {
    await roost.users.create('temporary');
    await roost.faults.add({ fault: 'unavailable' });
    const url = roost.url;
    await roost.reset();
    expect(roost.url).toBe(url);
    expect(await roost.faults.list()).toEqual([]);
    expect(await roost.requests.list()).toEqual([]);
    expect((await roost.clock.get()).frozen).toBe(false);
    expect(Math.abs(roost.clock.now() - Date.now())).toBeLessThan(5_000);
    const gone = await bearerClient().users.getByUsername('temporary');
    expect(gone.errors?.[0]?.title).toBe('Not Found Error');
    // The name is free again, and the fixed credentials still work.
    expect((await roost.users.create('temporary')).username).toBe('temporary');
  });

  it("refusals carry X's error body", async () => {
    const err = await roost.users.create('bad name!').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RoostError);
    expect((err as RoostError).status).toBe(400);
    expect(((err as RoostError).body as { title: string }).title).toBe('Invalid Request');
  });
});

describe('stop', () => {
  it('ends the server process', async () => {
    const r = await startRoost();
    await r.stop();
    await expect(fetch(`${r.url}/healthz`)).rejects.toThrow();
    await r.stop();
  });

  it('reports a server that cannot start', async () => {
    await expect(startRoost({ env: { ROOST_TIER: 'platinum' } })).rejects.toThrow(/Roost exited \(2\) before it was ready:\nroost: ROOST_TIER must be self_serve or enterprise/);
  });
});
