/**
 * The Developer Console's API over real sockets, through @roost/sdk/console: accounts (bcrypt, HttpOnly SameSite
 * session cookie, CSRF), apps and their credentials (shown once; regenerating one makes the old value fail at once),
 * OAuth settings (X's callback rules, permission changes revoking user authorizations), usage per endpoint with live
 * events, and billing (top-up, spend cap, auto-recharge).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { ConsoleApiError, ConsoleClient, consolePath, type CreatedAppJson } from '../../../sdk/src/console.js';
import { Client, OAuth1 } from '../../../sdk/src/index.js';

let s: TestServer;
let dev: ConsoleClient;
let app: CreatedAppJson;

beforeAll(async () => {
  // OAuth 1.0a timestamps are checked against the server clock: it starts at the wall time.
  s = await startTestServer({ seed: 7, users: 20, posts: 60, now: Date.now(), config: { startingCreditsUsd: 1 } });
  dev = new ConsoleClient({ baseUrl: s.url });
  await dev.signUp({ email: 'Ada@example.com', password: 'correct horse battery', username: 'ada_dev' });
  app = await dev.createApp({ name: 'Ada bot' });
});
afterAll(async () => {
  await s?.close();
});

const raw = (path: string, init: RequestInit = {}) => fetch(`${s.url}${path}`, init);
const status = async (p: Promise<unknown>) => p.then(() => 200, (e: unknown) => (e instanceof ConsoleApiError ? e.status : (e as { status?: number }).status ?? -1));
const me = (bearerToken: string) => new Client({ baseUrl: s.url, bearerToken, retry: false });

describe('developer accounts', () => {
  it('signs up with a session cookie that is HttpOnly and SameSite=Strict, and a CSRF token', async () => {
    const r = await raw(consolePath('signUp'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: s.url },
      body: JSON.stringify({ email: 'bob@example.com', password: 'hunter2hunter2', username: 'bob_dev' }),
    });
    expect(r.status).toBe(201);
    const cookie = r.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^roost_console=[\w-]{40,}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const body = (await r.json()) as { developer: unknown; csrf_token: string };
    expect(body.developer).toMatchObject({ email: 'bob@example.com', username: 'bob_dev' });
    expect(body.csrf_token).toMatch(/^[\w-]{40,}$/);
  });

  it('refuses a taken e-mail, a short password, wrong credentials; signs in again with the right ones', async () => {
    const other = new ConsoleClient({ baseUrl: s.url });
    expect(await status(other.signUp({ email: 'ada@example.com', password: 'whatever123', username: 'ada2' }))).toBe(409);
    expect(await status(other.signUp({ email: 'c@example.com', password: 'short', username: 'c_dev' }))).toBe(400);
    expect(await status(other.signIn({ email: 'ada@example.com', password: 'wrong password' }))).toBe(401);
    expect(await status(other.signIn({ email: 'nobody@example.com', password: 'wrong password' }))).toBe(401);
    const ok = await other.signIn({ email: 'ADA@example.com', password: 'correct horse battery' });
    expect(ok.developer?.username).toBe('ada_dev');
    expect((await other.listApps()).data.map((a) => a.id)).toContain(app.app.id);
    await other.signOut();
    expect(await status(other.listApps())).toBe(401);
  });

  it('refuses changes without the CSRF token or from another origin', async () => {
    const signIn = await raw(consolePath('signIn'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: s.url },
      body: JSON.stringify({ email: 'ada@example.com', password: 'correct horse battery' }),
    });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    const { csrf_token } = (await signIn.json()) as { csrf_token: string };
    const create = (headers: Record<string, string>) =>
      raw(consolePath('createApp'), { method: 'POST', headers: { 'content-type': 'application/json', cookie, ...headers }, body: JSON.stringify({ name: 'x' }) });
    expect((await create({ origin: s.url })).status).toBe(403);
    expect((await create({ origin: s.url, 'x-csrf-token': 'forged' })).status).toBe(403);
    expect((await create({ origin: 'https://evil.example', 'x-csrf-token': csrf_token })).status).toBe(403);
    const cross = await raw(consolePath('signIn'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ email: 'ada@example.com', password: 'correct horse battery' }),
    });
    expect(cross.status).toBe(403);
    const ok = await create({ origin: s.url, 'x-csrf-token': csrf_token });
    expect(ok.status).toBe(201);
    await dev.deleteApp(((await ok.json()) as CreatedAppJson).app.id);
  });
});

describe('apps and credentials', () => {
  it('creates an app with every credential shown once, each of which works', async () => {
    const c = app.credentials;
    expect(Object.keys(c).sort()).toEqual(['access_token', 'access_token_secret', 'api_key', 'api_key_secret', 'bearer_token', 'client_id', 'client_secret']);
    expect((await me(c.bearer_token!).users.getByUsername('ada_dev')).data?.username).toBe('ada_dev');
    const oauth1 = new OAuth1({ apiKey: c.api_key!, apiSecret: c.api_key_secret!, callback: 'oob', accessToken: c.access_token!, accessTokenSecret: c.access_token_secret! });
    expect((await new Client({ baseUrl: s.url, oauth1, retry: false }).users.getMe()).data?.username).toBe('ada_dev');
    expect(JSON.stringify(await dev.getApp(app.app.id))).not.toContain(c.api_key_secret!);
  });

  it("renames and deletes; another developer's app is a 404", async () => {
    const made = await dev.createApp({ name: 'temp', app_type: 'public' });
    expect(made.credentials.client_secret).toBeUndefined();
    expect((await dev.updateApp(made.app.id, { name: 'renamed' })).app.name).toBe('renamed');
    const eve = new ConsoleClient({ baseUrl: s.url });
    await eve.signUp({ email: 'eve@example.com', password: 'eve-password', username: 'eve_dev' });
    expect(await status(eve.getApp(made.app.id))).toBe(404);
    expect(await status(eve.deleteApp(made.app.id))).toBe(404);
    await dev.deleteApp(made.app.id);
    expect(await status(dev.getApp(made.app.id))).toBe(404);
    expect(await status(me(made.credentials.bearer_token!).users.getByUsername('ada_dev'))).toBe(401);
  });

  it('regenerates the bearer token: the old one gets 401 at once, the new one works', async () => {
    const old = app.credentials.bearer_token!;
    const { credentials } = await dev.regenerate(app.app.id, 'bearer-token');
    expect(credentials.bearer_token).not.toBe(old);
    expect(await status(me(old).users.getByUsername('ada_dev'))).toBe(401);
    expect((await me(credentials.bearer_token!).users.getByUsername('ada_dev')).data?.username).toBe('ada_dev');
    app.credentials.bearer_token = credentials.bearer_token;
  });

  it('regenerates the API key and secret, and the access token: the old ones stop signing', async () => {
    const c = app.credentials;
    const { credentials: keys } = await dev.regenerate(app.app.id, 'consumer-keys');
    const { credentials: access } = await dev.regenerate(app.app.id, 'access-token');
    const signed = (k: string, ks: string, t: string, ts: string) =>
      new Client({ baseUrl: s.url, oauth1: new OAuth1({ apiKey: k, apiSecret: ks, callback: 'oob', accessToken: t, accessTokenSecret: ts }), retry: false }).users.getMe();
    expect(await status(signed(c.api_key!, c.api_key_secret!, access.access_token!, access.access_token_secret!))).toBe(401);
    expect(await status(signed(keys.api_key!, keys.api_key_secret!, c.access_token!, c.access_token_secret!))).toBe(401);
    expect((await signed(keys.api_key!, keys.api_key_secret!, access.access_token!, access.access_token_secret!)).data?.username).toBe('ada_dev');
    const basic = (id: string, secret: string) =>
      raw('/oauth2/token', { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
    expect((await basic(c.api_key!, c.api_key_secret!)).status).toBe(403);
    expect((await basic(keys.api_key!, keys.api_key_secret!)).status).toBe(200);
    const { credentials: client } = await dev.regenerate(app.app.id, 'oauth2-client');
    expect(client.client_id).not.toBe(c.client_id);
    expect(client.client_secret).toMatch(/\S{20,}/);
  });

  it("applies X's callback URL rules and app types", async () => {
    const urls = Array.from({ length: 11 }, (_, i) => `https://example.com/cb${i}`);
    expect(await status(dev.updateApp(app.app.id, { callback_urls: urls }))).toBe(400);
    expect(await status(dev.updateApp(app.app.id, { callback_urls: ['https://example.com/cb#frag'] }))).toBe(400);
    expect(await status(dev.updateApp(app.app.id, { callback_urls: ['not a url'] }))).toBe(400);
    const ok = await dev.updateApp(app.app.id, { callback_urls: ['http://127.0.0.1/callback', 'https://example.com/cb'] });
    expect(ok.app.callback_urls).toEqual(['http://127.0.0.1/callback', 'https://example.com/cb']);
    expect(ok.credentials).toEqual({});
    expect((await dev.updateApp(app.app.id, { app_type: 'public' })).app.app_type).toBe('public');
    const back = await dev.updateApp(app.app.id, { app_type: 'confidential' });
    expect(back.credentials.client_secret).toMatch(/\S{20,}/);
    expect(back.app.callback_urls).toEqual(['http://127.0.0.1/callback', 'https://example.com/cb']);
  });

  it('mints user tokens for demo users; a new permission level revokes them (re-authorization)', async () => {
    const [someone] = (await dev.worldUsers()).data;
    const t = await dev.mintUserToken(app.app.id, { user: `@${someone!.username}` });
    const user = new Client({ baseUrl: s.url, accessToken: t.access_token, retry: false });
    expect((await user.users.getMe()).data?.id).toBe(someone!.id);
    const changed = await dev.updateApp(app.app.id, { permission: 'read' });
    expect(changed).toMatchObject({ reauthorization_required: true, app: { permission: 'read' } });
    expect(await status(user.users.getMe())).toBe(401);
    expect((await dev.updateApp(app.app.id, { permission: 'read' })).reauthorization_required).toBe(false);
    await dev.updateApp(app.app.id, { permission: 'read-write-dm' });
  });
});

describe('usage and billing', () => {
  it('counts requests per endpoint with cost and headroom, and announces them as events', async () => {
    const ctl = new AbortController();
    const events = await fetch(`${s.url}${consolePath('usageEvents')}`, { headers: { cookie: await cookieOf() }, signal: ctl.signal });
    expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = events.body!.getReader();
    const seen = readUntil(reader, 'event: usage');
    await me(app.credentials.bearer_token!).users.getByUsername('ada_dev');
    expect(await seen).toContain(app.app.id);
    // Refused requests count too (as errors), when they name an app.
    expect(await status(me(app.credentials.bearer_token!).users.getByUsername('not a name!'))).toBe(400);
    ctl.abort();
    const u = await dev.usage(7);
    const lookups = u.endpoints.find((e) => e.app_id === app.app.id && e.operation_id === 'getUsersByUsername')!;
    expect(lookups.requests).toBeGreaterThanOrEqual(3);
    expect(lookups.errors).toBeGreaterThanOrEqual(1);
    expect(lookups.cost_usd).toBeGreaterThan(0);
    expect(u.days.find((d) => d.app_id === app.app.id)!.requests).toBeGreaterThanOrEqual(lookups.requests);
    expect(u.headroom.find((h) => h.operation_id === 'getUsersByUsername' && h.pool === 'app')).toMatchObject({ app_id: app.app.id, limit: expect.any(Number) });
    expect(u.billing.balance_usd).toBeLessThan(1);
  });

  it('tops up, caps spending, and recharges automatically', async () => {
    const before = (await dev.usage(1)).billing.balance_usd;
    expect((await dev.topUp(5)).billing.balance_usd).toBeCloseTo(before + 5, 5);
    const spent = (await dev.usage(1)).billing.cycle_spend_usd;
    await dev.updateBilling({ spend_cap_usd: spent });
    expect(await status(me(app.credentials.bearer_token!).users.getByUsername('ada_dev'))).toBe(402);
    await dev.updateBilling({ spend_cap_usd: 0 });
    expect((await me(app.credentials.bearer_token!).users.getByUsername('ada_dev')).data).toBeDefined();
    const balance = (await dev.usage(1)).billing.balance_usd;
    const b = await dev.updateBilling({ auto_recharge: true, recharge_threshold_usd: balance + 1, recharge_amount_usd: 10 });
    expect(b.billing).toMatchObject({ auto_recharge: true, recharge_amount_usd: 10 });
    await me(app.credentials.bearer_token!).users.getByUsername('XDevelopers');
    expect((await dev.usage(1)).billing.balance_usd).toBeGreaterThan(balance + 9);
  });
});

async function cookieOf(): Promise<string> {
  const r = await raw(consolePath('signIn'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: s.url },
    body: JSON.stringify({ email: 'ada@example.com', password: 'correct horse battery' }),
  });
  return r.headers.get('set-cookie')!.split(';')[0]!;
}

async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, marker: string): Promise<string> {
  let text = '';
  const dec = new TextDecoder();
  while (!text.includes(marker) || !text.slice(text.indexOf(marker)).includes('\n\n')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += dec.decode(value);
  }
  return text.slice(text.indexOf(marker));
}
