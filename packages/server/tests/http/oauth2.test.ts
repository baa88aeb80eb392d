/**
 * OAuth 2.0 Authorization Code with PKCE, driven over HTTP the way real clients do it: the consent page is fetched
 * and answered, the callback's code is exchanged (form, JSON and query-string parameters; public and confidential
 * clients), the access token is used on /2 endpoints, refresh tokens rotate, tokens are revoked — and every failure.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { createApp } from '../../src/auth/issue.js';
import { createOAuth2Client } from '../../src/auth/oauth2.js';

const ME = '2244994945';
let s: TestServer;

interface Client {
  id: string;
  secret?: string;
  redirect: string;
}
let confidential: Client;
let pub: Client;

beforeAll(async () => {
  s = await startTestServer();
  const boot = s.handle.boot.createdClient!;
  confidential = { id: boot.clientId, secret: boot.clientSecret!, redirect: 'http://127.0.0.1:4567/callback' };
  const ctx = s.handle.ctx;
  const app = await createApp(ctx, { name: 'Public PKCE app', ownerUserId: ME });
  const c = await createOAuth2Client(ctx, { appId: app.id, type: 'public', redirectUris: ['https://app.example/cb?from=roost'] });
  pub = { id: c.clientId, redirect: 'https://app.example/cb?from=roost' };
});
afterAll(async () => {
  await s?.close();
});

const verifier = () => randomBytes(48).toString('base64url');
const challengeOf = (v: string) => createHash('sha256').update(v).digest('base64url');
const basic = (c: Client) => `Basic ${Buffer.from(`${c.id}:${c.secret ?? ''}`).toString('base64')}`;

interface AuthorizeOpts {
  client: Client;
  scope?: string;
  verifier?: string;
  method?: string;
  challenge?: string;
  state?: string;
  redirect?: string;
  path?: string;
  extra?: Record<string, string>;
}

function authorizeUrl(o: AuthorizeOpts): URL {
  const u = new URL(o.path ?? '/i/oauth2/authorize', s.url);
  const v = o.verifier ?? 'unused';
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: o.client.id,
    redirect_uri: o.redirect ?? o.client.redirect,
    scope: o.scope ?? 'tweet.read users.read',
    state: o.state ?? 'st-123',
    code_challenge: o.challenge ?? (o.method === 'plain' ? v : challengeOf(v)),
    code_challenge_method: o.method ?? 'S256',
    ...o.extra,
  };
  for (const [k, val] of Object.entries(params)) if (val !== undefined && val !== '\u0000') u.searchParams.set(k, val);
  return u;
}

/** Reads the consent page's form: its action and hidden fields. */
function formOf(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form method="post" action="([^"]+)"/.exec(html)![1];
  const fields: Record<string, string> = {};
  const unesc = (x: string) => x.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]] = unesc(m[2]);
  return { action: unesc(action), fields };
}

async function answer(html: string, username: string, decision: 'authorize' | 'cancel') {
  const { action, fields } = formOf(html);
  return fetch(new URL(action, s.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, username, decision }).toString(),
  });
}

/** Runs the consent page as a person would and returns the callback URL it redirects to. */
async function consent(o: AuthorizeOpts, username = 'XDevelopers', decision: 'authorize' | 'cancel' = 'authorize'): Promise<URL> {
  const page = await fetch(authorizeUrl(o), { redirect: 'manual' });
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toContain('text/html');
  const res = await answer(await page.text(), username, decision);
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location')!);
}

async function codeFor(o: AuthorizeOpts): Promise<string> {
  const cb = await consent(o);
  expect(cb.searchParams.get('state')).toBe(o.state ?? 'st-123');
  return cb.searchParams.get('code')!;
}

type Mode = 'form' | 'json' | 'query';
async function post(path: string, params: Record<string, string | undefined>, o: { auth?: string; mode?: Mode } = {}) {
  const clean = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const u = new URL(path, s.url);
  const headers: Record<string, string> = {};
  if (o.auth) headers.authorization = o.auth;
  let body: string | undefined;
  const mode = o.mode ?? 'form';
  if (mode === 'form') {
    headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
    body = new URLSearchParams(clean).toString();
  } else if (mode === 'json') {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(clean);
  } else {
    for (const [k, v] of Object.entries(clean)) u.searchParams.set(k, v);
  }
  const res = await fetch(u, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as any, headers: res.headers };
}

/** Token request with the client's proper authentication: Basic for confidential, client_id for public. */
function token(c: Client, params: Record<string, string | undefined>, mode: Mode = 'form') {
  return c.secret ? post('/2/oauth2/token', params, { auth: basic(c), mode }) : post('/2/oauth2/token', { ...params, client_id: c.id }, { mode });
}
function revoke(c: Client, tok: string | undefined, mode: Mode = 'form') {
  return c.secret ? post('/2/oauth2/revoke', { token: tok }, { auth: basic(c), mode }) : post('/2/oauth2/revoke', { token: tok, client_id: c.id }, { mode });
}
const exchange = (c: Client, code: string, v: string, mode: Mode = 'form', redirect = c.redirect) =>
  token(c, { grant_type: 'authorization_code', code, redirect_uri: redirect, code_verifier: v }, mode);

const me = (tok: string) => s.request('GET', '/2/users/me', { token: tok });

function expectOAuthError(r: { status: number; body: any }, status: number, error: string, description: string | RegExp) {
  expect(r.status).toBe(status);
  expect(r.body.error).toBe(error);
  if (typeof description === 'string') expect(r.body.error_description).toBe(description);
  else expect(r.body.error_description).toMatch(description);
  expect(Array.isArray(r.body.errors)).toBe(true);
}

describe('consent page', () => {
  it('shows the app name and the requested scopes, and carries the request in its form', async () => {
    const res = await fetch(authorizeUrl({ client: pub, scope: 'tweet.read users.read offline.access', state: 'a"<b>' }));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Public PKCE app');
    for (const scope of ['tweet.read', 'users.read', 'offline.access']) expect(html).toContain(`<code>${scope}</code>`);
    expect(html).not.toContain('<b>');
    const { action, fields } = formOf(html);
    expect(action).toBe('/i/oauth2/authorize');
    expect(fields).toMatchObject({ client_id: pub.id, state: 'a"<b>', redirect_uri: pub.redirect, code_challenge_method: 'S256' });
  });

  it('/2/oauth2/authorize works the same', async () => {
    const v = verifier();
    const code = await codeFor({ client: pub, verifier: v, path: '/2/oauth2/authorize' });
    expect((await exchange(pub, code, v)).status).toBe(200);
  });

  it('cancel sends the person back with error=access_denied and the state', async () => {
    const cb = await consent({ client: pub, state: 'cancel-state' }, 'XDevelopers', 'cancel');
    expect(`${cb.origin}${cb.pathname}`).toBe('https://app.example/cb');
    expect(cb.searchParams.get('from')).toBe('roost');
    expect(cb.searchParams.get('error')).toBe('access_denied');
    expect(cb.searchParams.get('state')).toBe('cancel-state');
    expect(cb.searchParams.has('code')).toBe(false);
  });

  it('an unknown username re-renders the page with a message and issues nothing', async () => {
    const page = await fetch(authorizeUrl({ client: pub }));
    const res = await answer(await page.text(), 'nobody_here_zz', 'authorize');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('There is no account @nobody_here_zz.');
  });

  it('unknown client_id or unregistered redirect_uri: an HTML error page, never a redirect', async () => {
    for (const u of [
      authorizeUrl({ client: { id: 'bm9wZTpub3BlOjE6Y2k', redirect: pub.redirect } }),
      authorizeUrl({ client: pub, redirect: 'https://evil.example/cb' }),
      authorizeUrl({ client: pub, redirect: 'https://app.example/cb' }),
      authorizeUrl({ client: pub, redirect: '\u0000' }),
      authorizeUrl({ client: confidential, redirect: 'http://127.0.0.1:4567/elsewhere' }),
    ]) {
      const res = await fetch(u, { redirect: 'manual' });
      expect(res.status, u.href).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toContain('Something went wrong');
    }
    // The answer to the page is checked again: a forged POST cannot redirect anywhere either.
    const res = await fetch(new URL('/i/oauth2/authorize', s.url), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: pub.id, redirect_uri: 'https://evil.example/cb', decision: 'authorize', username: 'XDevelopers' }).toString(),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it('bad scope, missing code_challenge, bad method or response_type: redirect with the error and the state', async () => {
    const cases: [AuthorizeOpts, string][] = [
      [{ client: pub, scope: 'tweet.read tweet.fly' }, 'invalid_scope'],
      [{ client: pub, scope: '' }, 'invalid_request'],
      [{ client: pub, challenge: '' }, 'invalid_request'],
      [{ client: pub, method: 'S512' }, 'invalid_request'],
      [{ client: pub, challenge: 'too-short' }, 'invalid_request'],
      [{ client: pub, extra: { response_type: 'token' } }, 'unsupported_response_type'],
    ];
    for (const [o, error] of cases) {
      const res = await fetch(authorizeUrl({ ...o, state: 'err-state' }), { redirect: 'manual' });
      expect(res.status, JSON.stringify(o)).toBe(302);
      const cb = new URL(res.headers.get('location')!);
      expect(`${cb.origin}${cb.pathname}`).toBe('https://app.example/cb');
      expect(cb.searchParams.get('error'), JSON.stringify(o)).toBe(error);
      expect(cb.searchParams.get('state')).toBe('err-state');
    }
  });
});

describe('code exchange', () => {
  it('public client, S256, client_id in a form body; the token works on /2 endpoints with its scopes', async () => {
    const v = verifier();
    const code = await codeFor({ client: pub, verifier: v, scope: 'tweet.read users.read' });
    const r = await exchange(pub, code, v);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/json');
    expect(Object.keys(r.body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
    expect(r.body).toMatchObject({ token_type: 'bearer', expires_in: 7200, scope: 'tweet.read users.read' });
    const at = r.body.access_token as string;
    const who = await me(at);
    expect(who.status).toBe(200);
    expect(who.body.data.id).toBe(ME);
    // tweet.write was not granted.
    const write = await s.request('POST', '/2/tweets', { token: at, body: { text: 'not allowed without tweet.write' } });
    expect(write.status).toBe(403);
    expect(write.body.detail).toContain('tweet.write');
  });

  it('confidential client with Basic, lowercase s256, JSON body (twitter-api-v2); tweet.write lets it post', async () => {
    const v = verifier();
    const code = await codeFor({ client: confidential, verifier: v, method: 's256', scope: 'tweet.read tweet.write users.read' });
    // twitter-api-v2 also repeats client_id and client_secret in the JSON body.
    const r = await post(
      '/2/oauth2/token',
      { grant_type: 'authorization_code', code, redirect_uri: confidential.redirect, code_verifier: v, client_id: confidential.id, client_secret: confidential.secret },
      { auth: basic(confidential), mode: 'json' },
    );
    expect(r.status).toBe(200);
    expect(r.body.scope).toBe('tweet.read tweet.write users.read');
    const created = await s.request('POST', '/2/tweets', { token: r.body.access_token, body: { text: `posted through OAuth 2.0 ${Date.now()}` } });
    expect(created.status).toBe(201);
    expect(created.body.data.text).toContain('posted through OAuth 2.0');
  });

  it('plain challenge with parameters in the query string (twitter-api-sdk)', async () => {
    const v = verifier();
    const code = await codeFor({ client: pub, verifier: v, method: 'plain' });
    const r = await exchange(pub, code, v, 'query');
    expect(r.status).toBe(200);
    expect((await me(r.body.access_token)).status).toBe(200);
  });

  it('a short plain challenge as in X’s own docs (`challenge`) is accepted', async () => {
    const code = await codeFor({ client: pub, challenge: 'challenge', method: 'plain' });
    expect((await exchange(pub, code, 'challenge')).status).toBe(200);
  });

  it('a loopback callback registered without a port matches any port', async () => {
    const v = verifier();
    const redirect = 'http://127.0.0.1:61234/callback';
    const code = await codeFor({ client: confidential, verifier: v, redirect });
    expect((await exchange(confidential, code, v, 'form', redirect)).status).toBe(200);
  });

  it('access tokens expire after 2 hours', async () => {
    const v = verifier();
    const code = await codeFor({ client: pub, verifier: v });
    const at = (await exchange(pub, code, v)).body.access_token;
    s.clock.advance(7_199_000);
    expect((await me(at)).status).toBe(200);
    s.clock.advance(1_000);
    const gone = await me(at);
    expect(gone.status).toBe(401);
    expect(gone.body).toEqual({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
  });
});

describe('code exchange failures', () => {
  const CODE_INVALID = 'Value passed for the authorization code was invalid.';

  it('a code expires after 30 s', async () => {
    const v = verifier();
    const fresh = await codeFor({ client: pub, verifier: v });
    s.clock.advance(30_000);
    expect((await exchange(pub, fresh, v)).status).toBe(200);
    const old = await codeFor({ client: pub, verifier: v });
    s.clock.advance(30_001);
    expectOAuthError(await exchange(pub, old, v), 400, 'invalid_request', CODE_INVALID);
  });

  it('a code works once', async () => {
    const v = verifier();
    const code = await codeFor({ client: pub, verifier: v });
    expect((await exchange(pub, code, v)).status).toBe(200);
    expectOAuthError(await exchange(pub, code, v), 400, 'invalid_request', CODE_INVALID);
  });

  it('concurrent redemptions of one code: exactly one succeeds', async () => {
    const v = verifier();
    const code = await codeFor({ client: pub, verifier: v });
    const results = await Promise.all(Array.from({ length: 5 }, () => exchange(pub, code, v)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
  });

  it('wrong verifier (S256 and plain), and the code still works with the right one', async () => {
    const v = verifier();
    const code = await codeFor({ client: pub, verifier: v });
    expectOAuthError(await exchange(pub, code, verifier()), 400, 'invalid_request', 'Value passed for the code verifier did not match the code challenge.');
    expectOAuthError(await exchange(pub, code, 'bad verifier!'), 400, 'invalid_request', /code verifier/);
    expect((await exchange(pub, code, v)).status).toBe(200);
    const p = verifier();
    const plain = await codeFor({ client: pub, verifier: p, method: 'plain' });
    expectOAuthError(await exchange(pub, plain, challengeOf(p)), 400, 'invalid_request', /code verifier/);
  });

  it('wrong redirect_uri', async () => {
    const v = verifier();
    const code = await codeFor({ client: pub, verifier: v });
    expectOAuthError(await exchange(pub, code, v, 'form', 'https://app.example/cb'), 400, 'invalid_request', /redirect uri/);
  });

  it('a code of another client', async () => {
    const v = verifier();
    const code = await codeFor({ client: pub, verifier: v });
    expectOAuthError(await exchange(confidential, code, v, 'form', pub.redirect), 400, 'invalid_request', CODE_INVALID);
  });

  it('a garbage code', async () => {
    expectOAuthError(await exchange(pub, 'bm90IGEgY29kZQ', verifier()), 400, 'invalid_request', CODE_INVALID);
  });

  it('confidential client without Basic, or with a wrong secret', async () => {
    const v = verifier();
    const code = await codeFor({ client: confidential, verifier: v });
    const params = { grant_type: 'authorization_code', code, redirect_uri: confidential.redirect, code_verifier: v };
    const noBasic = await post('/2/oauth2/token', { ...params, client_id: confidential.id });
    expectOAuthError(noBasic, 401, 'unauthorized_client', 'Missing valid authorization header');
    const secretInBody = await post('/2/oauth2/token', { ...params, client_id: confidential.id, client_secret: confidential.secret });
    expectOAuthError(secretInBody, 401, 'unauthorized_client', 'Missing valid authorization header');
    const wrong = await post('/2/oauth2/token', params, { auth: basic({ ...confidential, secret: 'nope' }) });
    expectOAuthError(wrong, 401, 'unauthorized_client', 'Missing valid authorization header');
    const bearer = await post('/2/oauth2/token', { ...params }, { auth: `Bearer ${s.bearer}` });
    expectOAuthError(bearer, 401, 'unauthorized_client', 'Missing valid authorization header');
    // None of that used the code up.
    expect((await token(confidential, params)).status).toBe(200);
  });

  it('public client: unknown client_id, or a Basic header with a secret', async () => {
    const v = verifier();
    const code = await codeFor({ client: pub, verifier: v });
    const params = { grant_type: 'authorization_code', code, redirect_uri: pub.redirect, code_verifier: v };
    expectOAuthError(await post('/2/oauth2/token', { ...params, client_id: 'bm9wZTpub3BlOjE6Y2k' }), 400, 'invalid_request', /client_id/);
    expectOAuthError(await post('/2/oauth2/token', params, { auth: basic({ ...pub, secret: 'x' }) }), 401, 'unauthorized_client', /authorization header/);
    // A Basic header with the id and an empty secret is how some libraries send public clients.
    expect((await post('/2/oauth2/token', params, { auth: basic(pub) })).status).toBe(200);
  });

  it('missing parameters and an unknown grant_type', async () => {
    const v = verifier();
    const code = await codeFor({ client: pub, verifier: v });
    const full = { grant_type: 'authorization_code', code, redirect_uri: pub.redirect, code_verifier: v };
    for (const k of ['grant_type', 'code', 'redirect_uri', 'code_verifier'] as const) {
      const r = await token(pub, { ...full, [k]: undefined });
      expectOAuthError(r, 400, 'invalid_request', `Missing required parameter [${k}].`);
    }
    expectOAuthError(await post('/2/oauth2/token', full), 400, 'invalid_request', 'Missing required parameter [client_id].');
    expectOAuthError(await token(pub, { ...full, grant_type: 'password' }), 400, 'invalid_request', /grant type/);
    expectOAuthError(await token(pub, { ...full, grant_type: 'client_credentials' }), 400, 'invalid_request', /grant type/);
    expect((await token(pub, full)).status).toBe(200);
  });
});

describe('refresh tokens', () => {
  it('only with offline.access; rotated on each use (the old one stops working), for public and confidential clients', async () => {
    for (const [client, mode] of [
      [pub, 'form'],
      [confidential, 'json'],
      [pub, 'query'],
    ] as const) {
      const v = verifier();
      const code = await codeFor({ client, verifier: v, scope: 'tweet.read users.read offline.access' });
      const first = await exchange(client, code, v, mode);
      expect(first.status).toBe(200);
      expect(first.body.scope).toBe('tweet.read users.read offline.access');
      const rt1 = first.body.refresh_token as string;
      expect(rt1).toMatch(/^[A-Za-z0-9_-]{40,}$/);

      const second = await token(client, { grant_type: 'refresh_token', refresh_token: rt1 }, mode);
      expect(second.status).toBe(200);
      expect(second.body).toMatchObject({ token_type: 'bearer', expires_in: 7200, scope: 'tweet.read users.read offline.access' });
      const rt2 = second.body.refresh_token as string;
      expect(rt2).not.toBe(rt1);
      expect(second.body.access_token).not.toBe(first.body.access_token);
      expect((await me(second.body.access_token)).status).toBe(200);

      expectOAuthError(await token(client, { grant_type: 'refresh_token', refresh_token: rt1 }, mode), 400, 'invalid_request', 'Value passed for the token was invalid.');
      expect((await token(client, { grant_type: 'refresh_token', refresh_token: rt2 }, mode)).status).toBe(200);
    }
  });

  it('no refresh token without offline.access; an access token is no refresh token', async () => {
    const v = verifier();
    const code = await codeFor({ client: pub, verifier: v, scope: 'tweet.read users.read' });
    const r = await exchange(pub, code, v);
    expect(r.body.refresh_token).toBeUndefined();
    expectOAuthError(await token(pub, { grant_type: 'refresh_token', refresh_token: r.body.access_token }), 400, 'invalid_request', /token was invalid/);
  });

  it('refresh failures: missing, another client’s, unauthenticated confidential client', async () => {
    expectOAuthError(await token(pub, { grant_type: 'refresh_token' }), 400, 'invalid_request', 'Missing required parameter [refresh_token].');
    const v = verifier();
    const code = await codeFor({ client: pub, verifier: v, scope: 'users.read offline.access' });
    const rt = (await exchange(pub, code, v)).body.refresh_token as string;
    expectOAuthError(await token(confidential, { grant_type: 'refresh_token', refresh_token: rt }), 400, 'invalid_request', /token was invalid/);
    const noBasic = await post('/2/oauth2/token', { grant_type: 'refresh_token', refresh_token: rt, client_id: confidential.id });
    expectOAuthError(noBasic, 401, 'unauthorized_client', 'Missing valid authorization header');
    // Still usable by its own client.
    expect((await token(pub, { grant_type: 'refresh_token', refresh_token: rt })).status).toBe(200);
  });
});

describe('revoke', () => {
  async function grant(client: Client) {
    const v = verifier();
    const code = await codeFor({ client, verifier: v, scope: 'tweet.read users.read offline.access' });
    const r = await exchange(client, code, v);
    expect(r.status).toBe(200);
    return r.body as { access_token: string; refresh_token: string };
  }

  it('an access token stops working at once (public client, form body)', async () => {
    const t = await grant(pub);
    expect((await me(t.access_token)).status).toBe(200); // now cached by the authenticator
    const r = await revoke(pub, t.access_token);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ revoked: true });
    expect((await me(t.access_token)).status).toBe(401);
    // The refresh token is a separate grant and still works.
    expect((await token(pub, { grant_type: 'refresh_token', refresh_token: t.refresh_token })).status).toBe(200);
  });

  it('a refresh token stops working (confidential client, JSON body)', async () => {
    const t = await grant(confidential);
    const r = await revoke(confidential, t.refresh_token, 'json');
    expect(r.body).toEqual({ revoked: true });
    expectOAuthError(await token(confidential, { grant_type: 'refresh_token', refresh_token: t.refresh_token }), 400, 'invalid_request', /token was invalid/);
  });

  it('revoke failures: missing token, client auth, another client’s token; unknown tokens answer revoked (RFC 7009)', async () => {
    const t = await grant(pub);
    expectOAuthError(await revoke(pub, undefined), 400, 'invalid_request', 'Missing required parameter [token].');
    expectOAuthError(await post('/2/oauth2/revoke', { token: t.access_token }), 400, 'invalid_request', 'Missing required parameter [client_id].');
    expectOAuthError(await post('/2/oauth2/revoke', { token: t.access_token, client_id: confidential.id }), 401, 'unauthorized_client', /authorization header/);
    expectOAuthError(await revoke(confidential, t.access_token), 400, 'invalid_request', /token was invalid/);
    expectOAuthError(await revoke(confidential, t.refresh_token), 400, 'invalid_request', /token was invalid/);
    expectOAuthError(await revoke(pub, s.bearer), 400, 'invalid_request', /token was invalid/);
    expect((await me(t.access_token)).status).toBe(200);
    expect((await revoke(pub, 'never-issued')).body).toEqual({ revoked: true });
  });
});
