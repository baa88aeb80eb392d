import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { id, one } from './find.js';
import { scratchDir } from '../scratch.js';

const TOO_MANY = { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 };
const XDEV = '2244994945';
const Q = 15 * 60;

let s: TestServer;
const dir = scratchDir('roost-limits-');
let postIds: string[];
let otherUser: string;
let thirdUser: string;

beforeAll(async () => {
  // A limit of 5 for GET /2/users/me keeps the exhaust loops short; FACTS' 75 is checked through the header.
  s = await startTestServer({ dbUrl: join(dir, 'roost.db'), limits: { getUsersMe: { user: 5 } } });
  const rows = await (await import('kysely')).sql
    .raw<{ id: unknown }>(
      'select p.id from posts p join users u on u.id = p.author_id where p.deleted = 0 and p.superseded = 0 and p.reposted_post_id is null and u.protected = 0 and u.suspended = 0 and u.withheld is null order by p.id limit 6',
    )
    .execute(s.handle.ctx.store.db);
  postIds = rows.rows.map((r) => id(r.id));
  otherUser = id((await one(s, `select id from users where protected = 0 and suspended = 0 and id <> ${XDEV} order by id limit 1`)).id);
  thirdUser = id((await one(s, `select id from users where protected = 0 and suspended = 0 and withheld is null and id <> ${XDEV} order by id desc limit 1`)).id);
});
afterAll(async () => {
  await s?.close();
});

describe('rate limits', () => {
  it('exhausts a 15-minute user bucket: 429 with X body and headers, then resets at x-rate-limit-reset', async () => {
    const start = s.clock.now();
    const reset = Math.floor((start - (start % 900_000) + 900_000) / 1000);
    for (let i = 1; i <= 5; i++) {
      const r = await s.get('/2/users/me', { token: s.userToken });
      expect(r.status).toBe(200);
      expect(r.headers.get('x-rate-limit-limit')).toBe('5');
      expect(r.headers.get('x-rate-limit-remaining')).toBe(String(5 - i));
      expect(r.headers.get('x-rate-limit-reset')).toBe(String(reset));
    }
    const r = await s.get('/2/users/me', { token: s.userToken });
    expect(r.status).toBe(429);
    expect(r.body).toEqual(TOO_MANY);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.headers.get('x-rate-limit-limit')).toBe('5');
    expect(r.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(r.headers.get('x-rate-limit-reset')).toBe(String(reset));
    // Another user of the same app has a bucket of its own.
    const other = await s.get('/2/users/me', { token: await s.userTokenFor(otherUser) });
    expect(other.status).toBe(200);
    expect(other.headers.get('x-rate-limit-remaining')).toBe('4');
    s.clock.set(reset * 1000 - 1);
    expect((await s.get('/2/users/me', { token: s.userToken })).status).toBe(429);
    s.clock.set(reset * 1000);
    const again = await s.get('/2/users/me', { token: s.userToken });
    expect(again.status).toBe(200);
    expect(again.headers.get('x-rate-limit-remaining')).toBe('4');
    expect(again.headers.get('x-rate-limit-reset')).toBe(String(reset + Q));
  });

  it('uses FACTS §4.2 values and keeps app-only and user pools independent', async () => {
    const app = await s.get(`/2/users/${XDEV}`);
    expect(app.status).toBe(200);
    expect(app.headers.get('x-rate-limit-limit')).toBe('300');
    const user = await s.get(`/2/users/${XDEV}`, { token: s.userToken });
    expect(user.headers.get('x-rate-limit-limit')).toBe('900');
    expect(user.headers.get('x-rate-limit-remaining')).toBe('899');
    const app2 = await s.get(`/2/users/${XDEV}`);
    expect(app2.headers.get('x-rate-limit-remaining')).toBe('298');
    // Exhaust the app pool (override for speed); the user pool still answers.
    s.handle.ctx.limits.policy.override('getUsersById', { app: 3 });
    expect((await s.get(`/2/users/${XDEV}`)).status).toBe(200);
    const out = await s.get(`/2/users/${XDEV}`);
    expect(out.status).toBe(429);
    expect(out.headers.get('x-rate-limit-limit')).toBe('3');
    expect((await s.get(`/2/users/${XDEV}`, { token: s.userToken })).status).toBe(200);
  });

  it('errors after authentication carry the headers and count; unauthenticated requests do not', async () => {
    const bad = await s.get('/2/users/by/username/x', { query: { 'user.fields': 'nope' } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-rate-limit-limit')).toBe('300');
    expect(bad.headers.get('x-rate-limit-remaining')).toBe('299');
    const anon = await s.get('/2/users/by/username/x', { token: null });
    expect(anon.status).toBe(401);
    expect(anon.headers.get('x-rate-limit-limit')).toBeNull();
  });

  it('24-hour caps: x-app-limit-24hour-* on POST /2/tweets, x-user-limit-24hour-* on likes, 429 at the cap', async () => {
    const day = s.clock.now() - (s.clock.now() % 86_400_000) + 86_400_000;
    const post = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: 'limits: hello' } });
    expect(post.status).toBe(201);
    expect(post.headers.get('x-rate-limit-limit')).toBe('100');
    expect(post.headers.get('x-app-limit-24hour-limit')).toBe('10000');
    expect(post.headers.get('x-app-limit-24hour-remaining')).toBe('9999');
    expect(post.headers.get('x-app-limit-24hour-reset')).toBe(String(day / 1000));

    s.handle.ctx.limits.policy.override('likePost', { user24h: 2 });
    const like = (i: number) => s.request('POST', `/2/users/${XDEV}/likes`, { token: s.userToken, body: { tweet_id: postIds[i] } });
    const l1 = await like(0);
    expect(l1.status).toBe(200);
    expect(l1.headers.get('x-user-limit-24hour-limit')).toBe('2');
    expect(l1.headers.get('x-user-limit-24hour-remaining')).toBe('1');
    expect(l1.headers.get('x-app-limit-24hour-limit')).toBeNull();
    expect((await like(1)).status).toBe(200);
    // A new 15-minute window does not lift a 24-hour cap.
    s.clock.advance(15 * 60_000);
    const capped = await like(2);
    expect(capped.status).toBe(429);
    expect(capped.body).toEqual(TOO_MANY);
    expect(capped.headers.get('x-user-limit-24hour-remaining')).toBe('0');
    expect(capped.headers.get('x-user-limit-24hour-reset')).toBe(String(day / 1000));
    s.clock.set(day);
    expect((await like(2)).status).toBe(200);
  });
});

describe('metering', () => {
  const cost = (r: { headers: Headers }) => Number(r.headers.get('x-roost-cost-usd'));
  const opt = { headers: { 'x-roost-cost': '1' } };

  it('charges per resource, dedups per UTC day, and charges again after UTC midnight', async () => {
    const ids = postIds.slice(3, 6).join(',');
    const a = await s.get('/2/tweets', { ...opt, query: { ids } });
    expect(a.status).toBe(200);
    expect(cost(a)).toBeCloseTo(0.015, 6);
    const b = await s.get(`/2/tweets/${postIds[3]}`, opt);
    expect(b.headers.get('x-roost-cost-usd')).toBe('0.000000');
    // No header unless asked.
    expect((await s.get(`/2/tweets/${postIds[3]}`)).headers.get('x-roost-cost-usd')).toBeNull();
    s.clock.set(s.clock.now() - (s.clock.now() % 86_400_000) + 86_400_000);
    expect(cost(await s.get(`/2/tweets/${postIds[3]}`, opt))).toBeCloseTo(0.005, 6);
    // Users cost $0.010; write prices per request.
    expect(cost(await s.get(`/2/users/${otherUser}`, opt))).toBeCloseTo(0.01, 6);
    const url = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: 'see https://example.com/x' }, ...opt });
    expect(cost(url)).toBeCloseTo(0.2, 6);
    const plain = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: 'plain words only' }, ...opt });
    expect(cost(plain)).toBeCloseTo(0.015, 6);
  });

  it('owned reads cost $0.001 per resource', async () => {
    const r = await s.get(`/2/users/${XDEV}/timelines/reverse_chronological`, { token: s.userToken, ...opt, query: { max_results: 5 } });
    expect(r.status).toBe(200);
    const n = (r.body.data ?? []).length;
    expect(cost(r)).toBeCloseTo(n * 0.001, 6);
  });

  it('failed and empty responses are not billed', async () => {
    const missing = await s.get('/2/tweets/1', opt);
    expect(missing.body.errors).toBeDefined();
    expect(missing.headers.get('x-roost-cost-usd')).toBe('0.000000');
    const bad = await s.get('/2/users/by/username/x', { ...opt, query: { 'user.fields': 'nope' } });
    expect(bad.status).toBe(400);
    const before = await s.handle.ctx.metering.balance(XDEV);
    expect((await s.get('/2/users/by/username/x', { ...opt, query: { 'user.fields': 'nope' } })).status).toBe(400);
    expect(await s.handle.ctx.metering.balance(XDEV)).toBe(before);
  });

  it('drained credits → 402 CreditsDepleted with account_id a JSON number; topping up lifts it', async () => {
    const m = s.handle.ctx.metering;
    const bal = await m.balance(XDEV);
    await m.addCredits(XDEV, -bal + 0.004);
    // $0.004 left: one more user read ($0.010) takes the balance below zero…
    const last = await s.get(`/2/users/${thirdUser}`);
    expect(last.status).toBe(200);
    // …and the next request is refused.
    const r = await s.get(`/2/tweets/${postIds[0]}`);
    expect(r.status).toBe(402);
    expect(r.text).toBe(
      `{"account_id":${XDEV},"title":"CreditsDepleted","detail":"Your enrolled account [${XDEV}] does not have any credits to fulfill this request.","type":"https://api.twitter.com/2/problems/credits"}`,
    );
    expect(typeof r.body.account_id).toBe('number');
    expect(r.headers.get('x-rate-limit-limit')).toBe('450');
    const credits = await s.get('/2/usage/credits');
    expect(credits.status).toBe(200);
    expect(credits.body.data.total_balance).toBeLessThanOrEqual(0);
    await m.addCredits(XDEV, 10);
    expect((await s.get(`/2/tweets/${postIds[0]}`)).status).toBe(200);
  });

  it('monthly post cap → 429 UsageCapExceeded; non-post reads still pass', async () => {
    const m = s.handle.ctx.metering;
    const used = await m.cycleUsage(XDEV);
    m.monthlyPostCap = used + 1;
    expect((await s.get(`/2/tweets/${postIds[1]}`)).status).toBe(200);
    const r = await s.get(`/2/tweets/${postIds[2]}`);
    expect(r.status).toBe(429);
    expect(r.body).toEqual({
      account_id: XDEV,
      product_name: 'standard-basic',
      title: 'UsageCapExceeded',
      period: 'Monthly',
      scope: 'Product',
      detail: 'Usage cap exceeded: Monthly product cap',
      type: 'https://api.twitter.com/2/problems/usage-capped',
    });
    expect((await s.get(`/2/users/${XDEV}`, { token: s.userToken })).status).toBe(200);
    m.monthlyPostCap = 3_000_000;
  });

  it('GET /2/usage/tweets has X shape: numbers as strings except cap_reset_day', async () => {
    const d = await s.get('/2/usage/tweets');
    expect(d.status).toBe(200);
    expect(Object.keys(d.body.data).sort()).toEqual(['cap_reset_day', 'project_cap', 'project_id', 'project_usage']);
    expect(d.body.data.cap_reset_day).toBe(1);
    expect(d.body.data.project_cap).toBe('3000000');
    expect(d.body.data.project_id).toBe(XDEV);
    expect(d.body.data.project_usage).toMatch(/^\d+$/);
    expect(Number(d.body.data.project_usage)).toBeGreaterThan(0);

    const f = await s.get('/2/usage/tweets', { query: { days: 3, 'usage.fields': 'daily_project_usage,daily_client_app_usage' } });
    expect(f.status).toBe(200);
    const dp = f.body.data.daily_project_usage;
    expect(dp.project_id).toBe(XDEV);
    expect(dp.usage).toHaveLength(3);
    for (const u of dp.usage) expect(u).toEqual({ date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T00:00:00\.000Z$/), usage: expect.stringMatching(/^\d+$/) });
    const apps = f.body.data.daily_client_app_usage;
    expect(apps[0]).toMatchObject({ client_app_id: s.appId, usage_result_count: 3 });
    expect(apps[0].usage).toHaveLength(3);
    const sum = dp.usage.reduce((a: number, u: { usage: string }) => a + Number(u.usage), 0);
    expect(sum).toBeGreaterThan(0);

    expect((await s.get('/2/usage/tweets', { query: { days: 91 } })).status).toBe(400);
    const user = await s.get('/2/usage/tweets', { token: s.userToken });
    expect(user.status).toBe(403);
  });
});

describe('restart', () => {
  it('limits and balances survive a restart with the SQL limiter', async () => {
    const token = s.userToken;
    s.handle.ctx.limits.policy.override('getUsersFollowing', { user: 3 });
    for (let i = 0; i < 3; i++) expect((await s.get(`/2/users/${XDEV}/following`, { token })).status).toBe(200);
    const bal = await s.handle.ctx.metering.balance(XDEV);
    const now = s.clock.now();
    await s.handle.close();
    const again = await startTestServer({ dbUrl: join(dir, 'roost.db'), now, limits: { getUsersFollowing: { user: 3 } } });
    try {
      const r = await again.get(`/2/users/${XDEV}/following`, { token });
      expect(r.status).toBe(429);
      expect(r.headers.get('x-rate-limit-remaining')).toBe('0');
      expect(await again.handle.ctx.metering.balance(XDEV)).toBeCloseTo(bal, 6);
    } finally {
      await again.close();
    }
  });
});

