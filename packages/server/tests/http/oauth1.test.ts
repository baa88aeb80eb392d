/**
 * OAuth 1.0a over HTTP: the three-legged flow (callback and PIN), signed API calls, and every failure path.
 * Requests are signed against https://api.x.com (as real clients do) while talking to the local server, by a
 * signer written here independently of the server's (checked against X's documentation vector first).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { createApp, createOAuth2Client, XDEVELOPERS_ID } from '@roost/server';
import { operation } from '@roost/contract';
import { mintOAuth1AccessToken, rotateConsumerSecret } from '../../src/auth/oauth1.js';
import { authorize } from '../../src/auth/authenticate.js';
import type { AppPermission } from '../../src/data/oauth1.js';
import { enc, sign as signAt, type SignOpts } from './oauth1-sign.js';

// ---- an independent client-side signer (oauth1-sign.ts) ----

const sign = (o: SignOpts) => signAt(o, Math.floor(s.clock.now() / 1000));

interface Res {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

/** fetch without following redirects (callbacks point at the client, not at us). */
async function http(method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}): Promise<Res> {
  const r = await fetch(s.url + path, { method, headers: init.headers, body: init.body, redirect: 'manual' });
  const text = await r.text();
  const ct = r.headers.get('content-type') ?? '';
  return { status: r.status, headers: r.headers, text, body: ct.includes('json') && text ? JSON.parse(text) : text };
}

interface Client {
  consumerKey: string;
  consumerSecret: string;
}

/** A signed request: signs `origin + path`, sends to the local server. */
async function signed(
  method: string,
  path: string,
  c: Client,
  o: Partial<SignOpts> & { json?: unknown; origin?: string; header?: string; cookie?: string } = {},
): Promise<Res> {
  const { header } = sign({ method, url: (o.origin ?? 'https://api.x.com') + path, consumerKey: c.consumerKey, consumerSecret: c.consumerSecret, ...o });
  const headers: Record<string, string> = { authorization: o.header ?? header };
  let body: string | undefined;
  if (o.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(o.form).toString();
  } else if (o.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(o.json);
  }
  return http(method, path, { headers, body });
}

const V1_32 = { errors: [{ code: 32, message: 'Could not authenticate you.' }] };
const V1_89 = { errors: [{ code: 89, message: 'Invalid or expired token.' }] };
const UNAUTHORIZED = { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' };
const PERMISSION_403 = {
  title: 'Forbidden',
  type: 'about:blank',
  status: 403,
  detail: 'Your client app is not configured with the appropriate oauth1 app permissions for this endpoint.',
};

let s: TestServer;
let app: Client & { id: string };

beforeAll(async () => {
  s = await startTestServer();
  app = await createApp(s.handle.ctx, { name: 'Flow <Test> App', ownerUserId: XDEVELOPERS_ID });
  // X sends verifiers only to registered callbacks.
  await createOAuth2Client(s.handle.ctx, { appId: app.id, redirectUris: ['https://client.example/cb'] });
});
afterAll(async () => {
  await s?.close();
});

async function newApp(permission: AppPermission) {
  const a = await createApp(s.handle.ctx, { name: `App ${permission}`, ownerUserId: XDEVELOPERS_ID });
  await s.handle.ctx.repos.oauth1.setAppPermission(a.id, permission);
  await createOAuth2Client(s.handle.ctx, { appId: a.id, redirectUris: ['https://client.example/cb'] });
  return a;
}

async function requestToken(c: Client, callback: string, query = '') {
  const r = await signed('POST', `/oauth/request_token${query}`, c, { oauth: { oauth_callback: callback } });
  expect(r.status).toBe(200);
  expect(r.headers.get('content-type')).toContain('application/x-www-form-urlencoded');
  const p = new URLSearchParams(r.text);
  expect(p.get('oauth_callback_confirmed')).toBe('true');
  return { token: p.get('oauth_token')!, secret: p.get('oauth_token_secret')! };
}

const field = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

/** Loads the consent page and answers it like a person would. */
async function consent(path: string, token: string, action: 'approve' | 'deny', username = 'XDevelopers', cookie?: string) {
  const page = await http('GET', `${path}?oauth_token=${encodeURIComponent(token)}`, { headers: cookie ? { cookie } : {} });
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toContain('text/html');
  const form = { oauth_token: field(page.text, 'oauth_token'), csrf: field(page.text, 'csrf'), username, action };
  return {
    page,
    answer: await http('POST', path, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
      body: new URLSearchParams(form).toString(),
    }),
  };
}

/** Exchanges a verifier like xdk's getAccessToken: token and verifier in the query, token again in the header. */
async function accessToken(c: Client, rt: { token: string; secret: string }, verifier: string) {
  const q = `?oauth_token=${enc(rt.token)}&oauth_verifier=${enc(verifier)}`;
  return signed('POST', `/oauth/access_token${q}`, c, { token: rt.token, tokenSecret: rt.secret });
}

async function fullFlow(c: Client): Promise<{ token: string; secret: string; userId: string }> {
  const rt = await requestToken(c, 'https://client.example/cb?x=1');
  const { answer } = await consent('/oauth/authorize', rt.token, 'approve');
  const loc = new URL(answer.headers.get('location')!);
  const r = await accessToken(c, rt, loc.searchParams.get('oauth_verifier')!);
  expect(r.status).toBe(200);
  const p = new URLSearchParams(r.text);
  return { token: p.get('oauth_token')!, secret: p.get('oauth_token_secret')!, userId: p.get('user_id')! };
}

describe('the test signer', () => {
  it('reproduces X documentation vector', () => {
    const { signature } = sign({
      method: 'POST',
      url: 'https://api.x.com/1.1/statuses/update.json?include_entities=true',
      consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
      consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
      token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
      tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
      form: { status: 'Hello Ladies + Gentlemen, a signed OAuth request!' },
      nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
      timestamp: 1318622958,
    });
    expect(signature).toBe('Ls93hJiZbQ3akF3HF3x1Bz8/zU4=');
  });
});

describe('three-legged flow', () => {
  let access: { token: string; secret: string; userId: string };
  let cookie = '';

  it('callback flow: request token → consent page → redirect with verifier → access token', async () => {
    const rt = await requestToken(app, 'https://client.example/cb?x=1');
    const { page, answer } = await consent('/oauth/authorize', rt.token, 'approve');
    expect(page.text).toContain('Flow &#60;Test&#62; App');
    expect(page.text).toContain('data-permission="read-write-dm"');
    expect(page.text).not.toContain('Flow <Test> App');
    expect(answer.status).toBe(302);
    cookie = answer.headers.get('set-cookie')!.split(';')[0];
    const loc = new URL(answer.headers.get('location')!);
    expect(loc.origin + loc.pathname).toBe('https://client.example/cb');
    expect(loc.searchParams.get('x')).toBe('1');
    expect(loc.searchParams.get('oauth_token')).toBe(rt.token);
    const verifier = loc.searchParams.get('oauth_verifier')!;
    const r = await accessToken(app, rt, verifier);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/x-www-form-urlencoded');
    const p = new URLSearchParams(r.text);
    expect([...p.keys()].sort()).toEqual(['oauth_token', 'oauth_token_secret', 'screen_name', 'user_id']);
    expect(p.get('user_id')).toBe(XDEVELOPERS_ID);
    expect(p.get('screen_name')).toBe('XDevelopers');
    expect(p.get('oauth_token')!.startsWith(`${XDEVELOPERS_ID}-`)).toBe(true);
    access = { token: p.get('oauth_token')!, secret: p.get('oauth_token_secret')!, userId: XDEVELOPERS_ID };

    // The request token is single-use.
    const again = await accessToken(app, rt, verifier);
    expect(again.status).toBe(401);
    expect(again.body).toEqual(V1_89);
  });

  it('signed GET /2/users/me and POST /2/tweets (signed for api.x.com, sent to Roost)', async () => {
    const me = await signed('GET', '/2/users/me?user.fields=created_at', app, { token: access.token, tokenSecret: access.secret });
    expect(me.status).toBe(200);
    expect(me.body.data).toMatchObject({ id: XDEVELOPERS_ID, username: 'XDevelopers' });
    const post = await signed('POST', '/2/tweets', app, { token: access.token, tokenSecret: access.secret, json: { text: 'signed with OAuth 1.0a' } });
    expect(post.status).toBe(201);
    expect(post.body.data.text).toBe('signed with OAuth 1.0a');
  });

  it('accepts the other signing origins and both header separators', async () => {
    const ctx = s.handle.ctx;
    for (const origin of [s.url, 'https://api.twitter.com', 'HTTPS://API.X.COM:443']) {
      const r = await signed('GET', '/2/users/me', app, { token: access.token, tokenSecret: access.secret, origin, sep: ',' });
      expect(r.status, origin).toBe(200);
    }
    const evil = await signed('GET', '/2/users/me', app, { token: access.token, tokenSecret: access.secret, origin: 'https://evil.example' });
    expect(evil.status).toBe(401);
    // A configured public URL (ROOST_PUBLIC_URL), path prefix included.
    const before = ctx.config.publicUrl;
    ctx.config.publicUrl = 'https://roost.example.org/api/';
    try {
      const r = await signed('GET', '/2/users/me', app, { token: access.token, tokenSecret: access.secret, origin: 'https://roost.example.org/api' });
      expect(r.status).toBe(200);
    } finally {
      ctx.config.publicUrl = before;
    }
  });

  it('query and form parameters are signed: odd characters, + as space, duplicates', async () => {
    // Odd characters in signed values: the signature passes (the answer is the operation's, not a 401).
    const q = `?usernames=XDevelopers&user.fields=${enc("created_at,(wörld) #tag 'quote' !*()~ 100%")}`;
    const r = await signed('GET', `/2/users/by${q}`, app, { token: access.token, tokenSecret: access.secret });
    expect(r.status).toBe(400);
    const unsigned = await signed('GET', `/2/users/by${q}`, app, { token: access.token, tokenSecret: 'wrong' });
    expect(unsigned.status).toBe(401);
    // Repeated query parameters are all signed.
    const dup = await signed('GET', '/2/users/me?user.fields=created_at&user.fields=description', app, { token: access.token, tokenSecret: access.secret });
    expect(dup.status).not.toBe(401);
    // `+` in the query is a space: the client signed the decoded value.
    const plus = await signed('GET', '/2/users/by?usernames=XDevelopers&user.fields=created_at+', app, { token: access.token, tokenSecret: access.secret });
    expect(plus.status).not.toBe(401);
  });

  it('GET /1.1/account/verify_credentials.json answers a v1.1 user', async () => {
    const r = await signed('GET', '/1.1/account/verify_credentials.json', app, { token: access.token, tokenSecret: access.secret });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: Number(XDEVELOPERS_ID), id_str: XDEVELOPERS_ID, screen_name: 'XDevelopers', protected: false });
    expect(r.body.created_at).toMatch(/^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d \+0000 \d{4}$/);
    for (const k of ['name', 'description', 'followers_count', 'friends_count', 'statuses_count', 'favourites_count', 'verified', 'profile_image_url_https']) {
      expect(r.body, k).toHaveProperty(k);
    }
  });

  it('/oauth/authenticate skips the prompt for a signed-in user who already authorized the app, unless force_login', async () => {
    const rt = await requestToken(app, 'https://client.example/cb');
    const auto = await http('GET', `/oauth/authenticate?oauth_token=${rt.token}`, { headers: { cookie } });
    expect(auto.status).toBe(302);
    expect(new URL(auto.headers.get('location')!).searchParams.get('oauth_token')).toBe(rt.token);

    const rt2 = await requestToken(app, 'https://client.example/cb');
    const forced = await http('GET', `/oauth/authenticate?oauth_token=${rt2.token}&force_login=true`, { headers: { cookie } });
    expect(forced.status).toBe(200);
    expect(forced.text).toContain('<form');
    const noCookie = await http('GET', `/oauth/authenticate?oauth_token=${rt2.token}`);
    expect(noCookie.status).toBe(200);
    const forged = await http('GET', `/oauth/authenticate?oauth_token=${rt2.token}`, { headers: { cookie: `roost_oauth_session=${XDEVELOPERS_ID}.AAAA` } });
    expect(forged.status).toBe(200);
    // /oauth/authorize always prompts.
    const authz = await http('GET', `/oauth/authorize?oauth_token=${rt2.token}`, { headers: { cookie } });
    expect(authz.status).toBe(200);
  });

  it('oob: the consent answer shows a 7-digit PIN, exchanged with oauth_verifier in the form body', async () => {
    const rt = await requestToken(app, 'oob');
    const { answer } = await consent('/oauth/authenticate', rt.token, 'approve');
    expect(answer.status).toBe(200);
    const pin = /id="pin">(\d{7})</.exec(answer.text)![1];
    const r = await signed('POST', '/oauth/access_token', app, { token: rt.token, tokenSecret: rt.secret, form: { oauth_verifier: pin } });
    expect(r.status).toBe(200);
    const p = new URLSearchParams(r.text);
    const me = await signed('GET', '/2/users/me', app, { token: p.get('oauth_token')!, tokenSecret: p.get('oauth_token_secret')! });
    expect(me.status).toBe(200);
  });

  it('deny: redirect with denied=<token>; the request token is gone', async () => {
    const rt = await requestToken(app, 'https://client.example/cb');
    const { answer } = await consent('/oauth/authorize', rt.token, 'deny');
    expect(answer.status).toBe(302);
    expect(new URL(answer.headers.get('location')!).searchParams.get('denied')).toBe(rt.token);
    const r = await accessToken(app, rt, 'anything');
    expect(r.body).toEqual(V1_89);
    expect((await http('GET', `/oauth/authorize?oauth_token=${rt.token}`)).status).toBe(400);
  });

  it('an unknown username re-prompts; an unknown request token gets an error page', async () => {
    const rt = await requestToken(app, 'https://client.example/cb');
    const { answer } = await consent('/oauth/authorize', rt.token, 'approve', 'no_such_user_zz');
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('No account @no_such_user_zz');
    expect((await http('GET', '/oauth/authorize?oauth_token=nope')).status).toBe(400);
    // A forged consent POST (no csrf value) is refused.
    const forged = await http('POST', '/oauth/authorize', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ oauth_token: rt.token, username: 'XDevelopers', action: 'approve' }).toString(),
    });
    expect(forged.status).toBe(400);
  });

  it('invalidate_token revokes the access token; afterwards 401', async () => {
    const t = await fullFlow(app);
    const r = await signed('POST', '/1.1/oauth/invalidate_token', app, { token: t.token, tokenSecret: t.secret });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ access_token: t.token });
    const me = await signed('GET', '/2/users/me', app, { token: t.token, tokenSecret: t.secret });
    expect(me.status).toBe(401);
    expect(me.body).toEqual(UNAUTHORIZED);
    const again = await signed('POST', '/1.1/oauth/invalidate_token', app, { token: t.token, tokenSecret: t.secret });
    expect(again.body).toEqual(V1_89);
  });
});

describe('failure paths', () => {
  let t: { token: string; secret: string };
  beforeAll(async () => {
    t = await fullFlow(app);
  });
  const me = (o: Partial<SignOpts> & { header?: string } = {}) => signed('GET', '/2/users/me', app, { token: t.token, tokenSecret: t.secret, ...o });

  it('bad signature, wrong consumer secret, wrong token secret → X 401', async () => {
    const good = sign({ method: 'GET', url: 'https://api.x.com/2/users/me', consumerKey: app.consumerKey, consumerSecret: app.consumerSecret, token: t.token, tokenSecret: t.secret });
    const tampered = good.header.replace(/oauth_signature="[^"]*"/, `oauth_signature="${enc('AAAA' + good.signature.slice(4))}"`);
    for (const r of [await me({ header: tampered }), await me({ consumerSecret: 'wrong' }), await me({ tokenSecret: 'wrong' })]) {
      expect(r.status).toBe(401);
      expect(r.body).toEqual(UNAUTHORIZED);
    }
    // A signature over other query parameters than the ones sent.
    const otherQuery = sign({ method: 'GET', url: 'https://api.x.com/2/users/me?user.fields=id', consumerKey: app.consumerKey, consumerSecret: app.consumerSecret, token: t.token, tokenSecret: t.secret });
    expect((await http('GET', '/2/users/me', { headers: { authorization: otherQuery.header } })).status).toBe(401);
  });

  it('timestamp window is ±300 s by the server clock', async () => {
    const now = Math.floor(s.clock.now() / 1000);
    expect((await me({ timestamp: now - 299 })).status).toBe(200);
    expect((await me({ timestamp: now + 299 })).status).toBe(200);
    expect((await me({ timestamp: now - 301 })).status).toBe(401);
    expect((await me({ timestamp: now + 301 })).status).toBe(401);
  });

  it('a replayed nonce is refused; the same nonce with another timestamp is a new request', async () => {
    const { header } = sign({ method: 'GET', url: 'https://api.x.com/2/users/me', consumerKey: app.consumerKey, consumerSecret: app.consumerSecret, token: t.token, tokenSecret: t.secret, nonce: 'n-replay' });
    expect((await http('GET', '/2/users/me', { headers: { authorization: header } })).status).toBe(200);
    const replay = await http('GET', '/2/users/me', { headers: { authorization: header } });
    expect(replay.status).toBe(401);
    expect(replay.body).toEqual(UNAUTHORIZED);
    expect((await me({ nonce: 'n-replay', timestamp: Math.floor(s.clock.now() / 1000) - 1 })).status).toBe(200);
  });

  it('unknown token, a request token used as access token, unknown consumer key → 401', async () => {
    expect((await me({ token: `${XDEVELOPERS_ID}-unknown` })).status).toBe(401);
    const rt = await requestToken(app, 'oob');
    expect((await me({ token: rt.token, tokenSecret: rt.secret })).status).toBe(401);
    expect((await me({ consumerKey: 'nope' })).status).toBe(401);
  });

  it('missing or wrong parameters → 401', async () => {
    const good = sign({ method: 'GET', url: 'https://api.x.com/2/users/me', consumerKey: app.consumerKey, consumerSecret: app.consumerSecret, token: t.token, tokenSecret: t.secret });
    for (const drop of ['oauth_nonce', 'oauth_timestamp', 'oauth_signature', 'oauth_consumer_key', 'oauth_token', 'oauth_signature_method']) {
      const h = good.header.replace(new RegExp(`${drop}="[^"]*"(, )?`), '').replace(/, $/, '');
      const r = await http('GET', '/2/users/me', { headers: { authorization: h } });
      expect(r.status, drop).toBe(401);
    }
    expect((await me({ oauth: { oauth_signature_method: 'PLAINTEXT' } })).status).toBe(401);
    expect((await me({ oauth: { oauth_version: '2.0' } })).status).toBe(401);
    expect((await http('GET', '/2/users/me', { headers: { authorization: 'OAuth garbage' } })).status).toBe(401);
  });

  it('/oauth/* failures answer v1.1 bodies (32, or 89 for tokens)', async () => {
    const bad = await signed('POST', '/oauth/request_token', { ...app, consumerSecret: 'wrong' }, { oauth: { oauth_callback: 'oob' } });
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual(V1_32);
    const noCallback = await signed('POST', '/oauth/request_token', app);
    expect(noCallback.status).toBe(401);
    expect(noCallback.body).toEqual(V1_32);
    const notUrl = await signed('POST', '/oauth/request_token', app, { oauth: { oauth_callback: 'not a url' } });
    expect(notUrl.status).toBe(403);
    const unsigned = await http('POST', '/oauth/request_token');
    expect(unsigned.body).toEqual(V1_32);
    const unknown = await signed('POST', '/oauth/access_token', app, { token: 'nope', tokenSecret: 'x', oauth: { oauth_verifier: '1' } });
    expect(unknown.body).toEqual(V1_89);
    const vc = await signed('GET', '/1.1/account/verify_credentials.json', app, { token: t.token, tokenSecret: 'wrong' });
    expect(vc.status).toBe(401);
    expect(vc.body).toEqual(V1_32);
  });

  it('access_token: unapproved token, missing verifier, and a wrong verifier (which spends the request token)', async () => {
    const rt = await requestToken(app, 'https://client.example/cb');
    expect((await accessToken(app, rt, 'x')).body).toEqual(V1_32); // not approved yet
    const { answer } = await consent('/oauth/authorize', rt.token, 'approve');
    const verifier = new URL(answer.headers.get('location')!).searchParams.get('oauth_verifier')!;
    const missing = await signed('POST', '/oauth/access_token', app, { token: rt.token, tokenSecret: rt.secret });
    expect(missing.body).toEqual(V1_32);
    const wrongSecret = await signed('POST', '/oauth/access_token', app, { token: rt.token, tokenSecret: 'bad', oauth: { oauth_verifier: verifier } });
    expect(wrongSecret.body).toEqual(V1_32);
    const mismatch = await accessToken(app, rt, verifier + 'x');
    expect(mismatch.status).toBe(401);
    expect(mismatch.body).toEqual(V1_32);
    const late = await accessToken(app, rt, verifier);
    expect(late.body).toEqual(V1_89);
  });

  it('request tokens expire after 15 minutes', async () => {
    const rt = await requestToken(app, 'https://client.example/cb');
    s.clock.advance(16 * 60_000);
    try {
      expect((await http('GET', `/oauth/authorize?oauth_token=${rt.token}`)).status).toBe(400);
    } finally {
      s.clock.advance(-16 * 60_000);
    }
  });
});

describe('permissions and regeneration', () => {
  it('read app: reads pass, writes get X 403', async () => {
    const a = await newApp('read');
    const t = await fullFlow(a);
    expect((await signed('GET', '/2/users/me', a, { token: t.token, tokenSecret: t.secret })).status).toBe(200);
    const w = await signed('POST', '/2/tweets', a, { token: t.token, tokenSecret: t.secret, json: { text: 'read-only app' } });
    expect(w.status).toBe(403);
    expect(w.body).toEqual(PERMISSION_403);
  });

  it('a token keeps the level it was granted and never exceeds the app’s current level', async () => {
    const a = await newApp('read-write');
    const t = await fullFlow(a);
    const post = (text: string) => signed('POST', '/2/tweets', a, { token: t.token, tokenSecret: t.secret, json: { text } });
    expect((await post('rw app 1')).status).toBe(201);
    await s.handle.ctx.repos.oauth1.setAppPermission(a.id, 'read');
    expect((await post('rw app 2')).status).toBe(403);
    // x_auth_access_type=read asks for less than the app has.
    await s.handle.ctx.repos.oauth1.setAppPermission(a.id, 'read-write');
    const rt = await requestToken(a, 'oob', '?x_auth_access_type=read');
    const { page, answer } = await consent('/oauth/authorize', rt.token, 'approve');
    expect(page.text).toContain('data-permission="read"');
    const pin = /id="pin">(\d{7})</.exec(answer.text)![1];
    const p = new URLSearchParams((await signed('POST', `/oauth/access_token?oauth_verifier=${pin}`, a, { token: rt.token, tokenSecret: rt.secret })).text);
    const w = await signed('POST', '/2/tweets', a, { token: p.get('oauth_token')!, tokenSecret: p.get('oauth_token_secret')!, json: { text: 'read token' } });
    expect(w.status).toBe(403);
  });

  it('Direct Messages operations need the read-write-dm level', async () => {
    const ctx = s.handle.ctx;
    const check = async (permission: AppPermission) => {
      const a = await newApp(permission);
      const t = await mintOAuth1AccessToken(ctx, { appId: a.id, userId: XDEVELOPERS_ID, permission: 'read-write-dm' });
      const path = '/2/dm_conversations/with/783214/dm_events';
      const { header } = sign({ method: 'GET', url: `https://api.x.com${path}`, consumerKey: a.consumerKey, consumerSecret: a.consumerSecret, token: t.token, tokenSecret: t.secret });
      return authorize(operation('getDirectMessagesEventsByParticipantId'), { authorization: header, method: 'GET', url: path, host: 'roost.test', form: undefined }, ctx.auth);
    };
    await expect(check('read-write')).rejects.toMatchObject({ status: 403, detail: PERMISSION_403.detail });
    await expect(check('read-write-dm')).resolves.toMatchObject({ scheme: 'UserToken', userId: XDEVELOPERS_ID, permission: 'read-write-dm' });
  });

  it('consumer secret rotation: the old secret stops working, the new one works', async () => {
    const a = await newApp('read-write-dm');
    const t = await mintOAuth1AccessToken(s.handle.ctx, { appId: a.id, userId: XDEVELOPERS_ID, permission: 'read-write-dm' });
    expect((await signed('GET', '/2/users/me', a, { token: t.token, tokenSecret: t.secret })).status).toBe(200);
    const secret = await rotateConsumerSecret(s.handle.ctx, a.id);
    expect((await signed('GET', '/2/users/me', a, { token: t.token, tokenSecret: t.secret })).status).toBe(401);
    expect((await signed('GET', '/2/users/me', { ...a, consumerSecret: secret }, { token: t.token, tokenSecret: t.secret })).status).toBe(200);
    // The hash for /oauth2/token follows too.
    const basic = (sec: string) => `Basic ${Buffer.from(`${a.consumerKey}:${sec}`).toString('base64')}`;
    const tok = (sec: string) =>
      http('POST', '/oauth2/token', { headers: { authorization: basic(sec), 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    expect((await tok(a.consumerSecret)).status).toBe(403);
    expect((await tok(secret)).status).toBe(200);
  });

  it('token regeneration revokes the user’s earlier tokens for the app', async () => {
    const ctx = s.handle.ctx;
    const a = await newApp('read-write-dm');
    const old = await mintOAuth1AccessToken(ctx, { appId: a.id, userId: XDEVELOPERS_ID, permission: 'read-write-dm' });
    const fresh = await mintOAuth1AccessToken(ctx, { appId: a.id, userId: XDEVELOPERS_ID, permission: 'read-write-dm', revokeOthers: true });
    expect((await signed('GET', '/2/users/me', a, { token: old.token, tokenSecret: old.secret })).status).toBe(401);
    expect((await signed('GET', '/2/users/me', a, { token: fresh.token, tokenSecret: fresh.secret })).status).toBe(200);
  });

  it('secrets are not stored in clear', async () => {
    const t = await fullFlow(app);
    const rows = await s.handle.ctx.store.db.selectFrom('oauth1_tokens' as any).selectAll().execute();
    const dump = JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    expect(dump).not.toContain(t.secret);
    expect(dump).not.toContain(t.token);
    const apps = JSON.stringify(await s.handle.ctx.store.db.selectFrom('apps').selectAll().execute(), (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    expect(apps).not.toContain(app.consumerSecret);
  });
});
