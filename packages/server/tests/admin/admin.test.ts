/**
 * The admin API over real sockets: off by default (X's 404 on its paths), its token, time travel driving rate-limit
 * and edit windows, the request log, every REST fault, users and tokens made on demand, and reset.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_NOW, type TestServer } from '@roost/dev-env';

const ADMIN = 'test-admin-token-0123456789';
const MIN = 60_000;

let s: TestServer;
let off: TestServer;

beforeAll(async () => {
  [s, off] = await Promise.all([
    startTestServer({ seed: null, config: { adminToken: ADMIN, limitOverrides: { getUsersMe: { user: 2, app: 2 } } } }),
    startTestServer({ seed: null }),
  ]);
});
afterAll(async () => {
  await Promise.all([s?.close(), off?.close()]);
});

const admin = <T = any>(method: string, path: string, body?: unknown, token: string | null = ADMIN) =>
  s.request<T>(method, path, { token, body, raw: true });

async function newUser(username: string): Promise<{ id: string; token: string }> {
  const u = await admin('POST', '/_roost/users', { username });
  expect(u.status).toBe(201);
  const t = await admin('POST', '/_roost/tokens/oauth2', { user: `@${username}` });
  expect(t.status).toBe(201);
  return { id: u.body.data.id, token: t.body.access_token };
}

describe('admin API access', () => {
  it('is off unless ROOST_ADMIN_TOKEN is set: its paths are unknown paths (X 404); /healthz is always there', async () => {
    const r = await off.request('GET', '/_roost/clock', { token: ADMIN, raw: true });
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ errors: [{ message: 'Sorry, that page does not exist', code: 34 }] });
    expect((await off.request('GET', '/healthz', { token: null, raw: true })).body).toEqual({ status: 'ok' });
  });

  it('needs its own token: none or a wrong one (an app bearer too) gets X 401', async () => {
    const unauthorized = { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' };
    for (const token of [null, 'wrong-token-wrong-token', s.bearer]) {
      const r = await admin('GET', '/_roost/clock', undefined, token);
      expect(r.status).toBe(401);
      expect(r.body).toEqual(unauthorized);
    }
    expect((await admin('GET', '/_roost/clock')).status).toBe(200);
  });

  it('answers bad input with X invalid-request bodies', async () => {
    const r = await admin('POST', '/_roost/faults', { fault: 'meteor', oepration: 'createPosts' });
    expect(r.status).toBe(400);
    expect(r.body.title).toBe('Invalid Request');
    expect(r.body.errors.map((e: any) => e.message)).toEqual([
      expect.stringContaining('[oepration] is not one of'),
      expect.stringContaining('is not one of [rate-limit,'),
    ]);
    expect((await admin('POST', '/_roost/clock/advance', { ms: 'soon' })).status).toBe(400);
    expect((await admin('POST', '/_roost/faults', { fault: 'latency', operation: 'getNothing' })).status).toBe(400);
    expect((await admin('POST', '/_roost/faults', { fault: 'stream-stall', operation: 'getUsersMe' })).status).toBe(400);
    expect((await admin('POST', '/_roost/users', { username: 'has space' })).status).toBe(400);
    expect((await admin('POST', '/_roost/tokens/oauth1', { user: '@nobody_here_zz' })).status).toBe(400);
    expect((await admin('DELETE', '/_roost/faults/999')).status).toBe(404);
    expect((await admin('POST', '/_roost/reset')).status).toBe(409);
  });
});

describe('time travel', () => {
  it('a 15-minute rate-limit window resets after the clock moves 15 minutes', async () => {
    const { token } = await newUser('windowuser');
    const me = () => s.get('/2/users/me', { token });
    expect((await me()).status).toBe(200);
    const second = await me();
    expect(second.headers.get('x-rate-limit-remaining')).toBe('0');
    const limited = await me();
    expect(limited.status).toBe(429);
    const reset = Number(limited.headers.get('x-rate-limit-reset'));
    const clock = await admin('POST', '/_roost/clock/advance', { ms: 15 * MIN });
    expect(clock.body).toMatchObject({ frozen: true, now_ms: TEST_NOW + 15 * MIN });
    expect(clock.body.now_ms).toBeGreaterThanOrEqual(reset * 1000);
    const again = await me();
    expect(again.status).toBe(200);
    expect(again.headers.get('x-rate-limit-remaining')).toBe('1');
  });

  it('closes the 30-minute edit window; moving back reopens it', async () => {
    const { token } = await newUser('editor');
    const post = await s.request('POST', '/2/tweets', { token, body: { text: 'first version' } });
    expect(post.status).toBe(201);
    await admin('POST', '/_roost/clock/advance', { ms: 31 * MIN });
    const late = await s.request('POST', '/2/tweets', { token, body: { text: 'too late', edit_options: { previous_post_id: post.body.data.id } } });
    expect(late.status).toBe(403);
    expect(late.body.detail).toBe('The edit window for this Tweet has passed.');
    await admin('POST', '/_roost/clock/advance', { ms: -30 * MIN });
    const inTime = await s.request('POST', '/2/tweets', { token, body: { text: 'second version', edit_options: { previous_post_id: post.body.data.id } } });
    expect(inTime.status).toBe(201);
  });

  it("drives recent search's 30-second lag and token expiry", async () => {
    const { token } = await newUser('lagbot');
    const post = await s.request('POST', '/2/tweets', { token, body: { text: 'fresh off the press' } });
    expect(post.status).toBe(201);
    const search = () => s.get('/2/tweets/search/recent', { query: { query: 'from:lagbot' } });
    expect((await search()).body.meta.result_count).toBe(0);
    // end_time defaults to 30 s ago and is exclusive: at 30 s the post is on the edge, at 31 s it is in.
    await admin('POST', '/_roost/clock/advance', { ms: 30_000 });
    expect((await search()).body.meta.result_count).toBe(0);
    await admin('POST', '/_roost/clock/advance', { ms: 1_000 });
    expect((await search()).body.data.map((p: any) => p.id)).toEqual([post.body.data.id]);

    const short = await admin('POST', '/_roost/tokens/oauth2', { user: '@lagbot', expires_in_s: 60 });
    expect((await s.get('/2/users/me', { token: short.body.access_token })).status).toBe(200);
    await admin('POST', '/_roost/clock/advance', { ms: 61_000 });
    expect((await s.get('/2/users/me', { token: short.body.access_token })).status).toBe(401);
  });

  it('sets, freezes and resumes', async () => {
    const set = await admin('POST', '/_roost/clock/set', { time: '2027-03-01T12:00:00Z' });
    expect(set.body).toMatchObject({ now: '2027-03-01T12:00:00.000Z', frozen: true });
    const resumed = await admin('POST', '/_roost/clock/resume');
    expect(resumed.body.frozen).toBe(false);
    await new Promise((r) => setTimeout(r, 30));
    expect((await admin('GET', '/_roost/clock')).body.now_ms).toBeGreaterThan(Date.parse('2027-03-01T12:00:00Z'));
    const frozen = await admin('POST', '/_roost/clock/freeze', { time: String(TEST_NOW) });
    expect(frozen.body).toMatchObject({ now_ms: TEST_NOW, frozen: true });
  });
});

describe('request log', () => {
  it('records what reached X paths: operation, auth, app, user, status and the body of writes', async () => {
    const { id, token } = await newUser('logbot');
    const since = (await admin('GET', '/_roost/requests?limit=1')).body.meta.last_seq;
    await s.request('POST', '/2/tweets', { token, body: { text: 'what did my bot post' } });
    await s.get('/2/users/by/username/logbot');
    await s.get('/2/users/me', { token: 'not-a-token-at-all' });
    const log = await admin('GET', `/_roost/requests?since=${since}`);
    expect(log.status).toBe(200);
    const [post, lookup, denied] = log.body.data;
    expect(post).toMatchObject({
      method: 'POST',
      path: '/2/tweets',
      operation_id: 'createPosts',
      auth: 'oauth2-user',
      app_id: s.appId,
      user_id: id,
      status: 201,
      body: { text: 'what did my bot post' },
    });
    expect(lookup).toMatchObject({ method: 'GET', operation_id: 'getUsersByUsername', auth: 'oauth2-app', user_id: null, status: 200 });
    expect(lookup.body).toBeUndefined();
    expect(denied).toMatchObject({ operation_id: 'getUsersMe', auth: 'oauth2-app', app_id: null, status: 401 });
    // Admin calls are not logged; filters narrow.
    expect(log.body.data.every((e: any) => !e.path.startsWith('/_roost'))).toBe(true);
    const mine = await admin('GET', `/_roost/requests?operation=createPosts&user=${id}`);
    expect(mine.body.data).toHaveLength(1);
    expect((await admin('DELETE', '/_roost/requests')).status).toBe(200);
    expect((await admin('GET', '/_roost/requests')).body.data).toEqual([]);
  });
});

describe('fault injection', () => {
  it("rate-limit: X's 429 with limit, remaining 0 and reset agreeing; count 1 lets the retry through", async () => {
    await admin('DELETE', '/_roost/faults');
    const { id, token } = await newUser('limited');
    const rule = await admin('POST', '/_roost/faults', { fault: 'rate-limit', operation: 'createPosts', user: '@limited', count: 1, reset_in_s: 2 });
    expect(rule.status).toBe(201);
    expect(rule.body.data).toMatchObject({ fault: 'rate-limit', operation: ['createPosts'], user: id, count: 1, fired: 0, active: true });
    const r = await s.request('POST', '/2/tweets', { token, body: { text: 'try' } });
    expect(r.status).toBe(429);
    expect(r.body).toEqual({ title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 });
    expect(r.headers.get('x-rate-limit-limit')).toBe('100');
    expect(r.headers.get('x-rate-limit-remaining')).toBe('0');
    expect(Number(r.headers.get('x-rate-limit-reset'))).toBe(Math.ceil((TEST_NOW + 2000) / 1000));
    // Someone else is not matched; the retry is not either (count spent).
    expect((await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: 'other user' } })).status).toBe(201);
    expect((await s.request('POST', '/2/tweets', { token, body: { text: 'retry' } })).status).toBe(201);
    const listed = await admin('GET', '/_roost/faults');
    expect(listed.body.data[0]).toMatchObject({ fired: 1, active: false });
    const logged = await admin('GET', `/_roost/requests?user=${id}&status=429`);
    expect(logged.body.data[0].fault).toBe(rule.body.data.id);
  });

  it('without reset_in_s the 429 names the end of the 15-minute window', async () => {
    await admin('DELETE', '/_roost/faults');
    await admin('POST', '/_roost/faults', { fault: 'rate-limit', operation: ['getUsersByUsername'], count: 1 });
    const r = await s.get('/2/users/by/username/XDevelopers');
    expect(r.status).toBe(429);
    const window = 15 * MIN;
    expect(Number(r.headers.get('x-rate-limit-reset')) * 1000).toBe(Math.floor(TEST_NOW / window) * window + window);
  });

  it('402 CreditsDepleted and 429 UsageCapExceeded in their exact shapes; 503', async () => {
    await admin('DELETE', '/_roost/faults');
    await admin('POST', '/_roost/faults', { fault: 'credits-depleted', operation: 'getUsersByUsername', count: 1 });
    const credits = await s.get('/2/users/by/username/XDevelopers');
    expect(credits.status).toBe(402);
    expect(credits.text).toBe(
      '{"account_id":2244994945,"title":"CreditsDepleted","detail":"Your enrolled account [2244994945] does not have any credits to fulfill this request.","type":"https://api.twitter.com/2/problems/credits"}',
    );
    await admin('POST', '/_roost/faults', { fault: 'usage-cap', operation: 'getUsersByUsername', count: 1, period: 'Daily' });
    const cap = await s.get('/2/users/by/username/XDevelopers');
    expect(cap.status).toBe(429);
    expect(cap.body).toEqual({
      account_id: '2244994945',
      product_name: 'standard-basic',
      title: 'UsageCapExceeded',
      period: 'Daily',
      scope: 'Product',
      detail: 'Usage cap exceeded: Daily product cap',
      type: 'https://api.twitter.com/2/problems/usage-capped',
    });
    await admin('POST', '/_roost/faults', { fault: 'unavailable', app: s.appId, count: 1 });
    const down = await s.get('/2/users/by/username/XDevelopers');
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status: 503 });
    expect((await s.get('/2/users/by/username/XDevelopers')).status).toBe(200);
  });

  it('latency delays the answer; a probability draws the same sequence for the same seed', async () => {
    await admin('DELETE', '/_roost/faults');
    await admin('POST', '/_roost/faults', { fault: 'latency', ms: 300, operation: 'getUsersByUsername', count: 1 });
    const t0 = performance.now();
    expect((await s.get('/2/users/by/username/XDevelopers')).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);

    const run = async () => {
      await admin('DELETE', '/_roost/faults');
      await admin('POST', '/_roost/faults', { fault: 'unavailable', operation: 'getUsersByUsername', probability: 0.5, seed: 42 });
      const out: number[] = [];
      for (let i = 0; i < 12; i++) out.push((await s.get('/2/users/by/username/XDevelopers')).status);
      return out;
    };
    const a = await run();
    expect(await run()).toEqual(a);
    expect(a).toContain(503);
    expect(a).toContain(200);
    await admin('DELETE', '/_roost/faults');
  });
});
