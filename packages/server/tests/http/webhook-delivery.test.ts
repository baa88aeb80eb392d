/**
 * The delivery engine against a real receiver, on the test server's clock (which only moves when a test moves it):
 * retries after a 500 and after a timeout at exponentially growing delays (observed: nothing is retried before the
 * delay has passed, and the attempts are recorded at those times); the same delivery id on every attempt; a dead
 * letter after X's retry window; deliveries held while a webhook is invalid; a concurrency limit per webhook;
 * replay of exactly the window asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { buildConfig, snowflakeAt } from '@roost/server';
import type { UserRow } from '../../src/data/rows.js';
import type { DeliveryRow } from '../../src/data/deliveries.js';
import { startReceiver, type Receiver } from '@roost/dev-env/webhook-receiver';

const T = Date.UTC(2026, 9, 1);
const author: UserRow = {
  id: snowflakeAt(T, 901, 1), username: 'retry_author', name: 'Retry', description: '', location: null, url: null, profileImageUrl: 'https://img.example/r.png',
  profileBannerUrl: null, protected: false, verified: false, verifiedType: 'none', suspended: false, createdAt: T, pinnedPostId: null, mostRecentPostId: null,
  followersCount: 0, followingCount: 0, tweetCount: 0, listedCount: 0, likeCount: 0, entities: null, withheld: null,
};

interface Setup {
  s: TestServer;
  rx: Receiver;
  webhookId: string;
  token: string;
}

async function setup(over: Partial<ReturnType<typeof buildConfig>['webhooks']>): Promise<Setup> {
  const s = await startTestServer({
    limits: { '*': { app: 100000, user: 100000 } },
    config: { metering: false, webhooks: { ...buildConfig({}).webhooks, allowLoopback: true, pollMs: 20, retryBaseMs: 10_000, retryWindowMs: 300_000, ...over } },
  });
  await s.handle.ctx.repos.users.insertMany([author]);
  const token = await s.userTokenFor(author.id);
  const rx = await startReceiver(s.handle.boot.createdApp!.consumerSecret);
  const webhookId = (await s.request('POST', '/2/webhooks', { body: { url: rx.url } })).body.data.id;
  await s.request('POST', `/2/account_activity/webhooks/${webhookId}/subscriptions/all`, { token });
  return { s, rx, webhookId, token };
}

const postAs = (x: Setup, text: string) => x.s.request('POST', '/2/tweets', { token: x.token, body: { text } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The delivery of a post to this webhook, once it is in the state wanted. */
async function deliveryOf(x: Setup, postId: string, until: (d: DeliveryRow) => boolean, timeoutMs = 10_000): Promise<DeliveryRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await x.s.handle.ctx.repos.deliveries.recent({ webhookId: x.webhookId, limit: 200 });
    const d = rows.find((r) => r.body.includes(`"id_str":"${postId}"`) && r.replayJobId === null);
    if (d && until(d)) return d;
    if (Date.now() > deadline) throw new Error(`delivery of ${postId}: ${JSON.stringify(d && { status: d.status, attempts: d.attempts })}`);
    await sleep(20);
  }
}

describe('retries with exponential backoff', () => {
  let x: Setup;
  beforeAll(async () => {
    x = await setup({ timeoutMs: 300 });
  });
  afterAll(async () => {
    await x.rx.close();
    await x.s.close();
  });

  it('a 500, then a timeout, then success: retried after ~10 s and ~100 s of server time, never sooner', async () => {
    x.rx.script = [500, 'hang', 200];
    const t0 = x.s.clock.now();
    const id = (await postAs(x, 'retry me')).body.data.id;
    await x.rx.waitFor(1);
    const first = await deliveryOf(x, id, (d) => d.attempts === 1);
    expect(first.status).toBe('pending');
    expect(first.lastStatus).toBe(500);
    // Base 10 s, less up to 20 % of jitter.
    expect(first.nextAttemptAt - t0).toBeGreaterThanOrEqual(8_000);
    expect(first.nextAttemptAt - t0).toBeLessThanOrEqual(10_000);
    await sleep(300);
    expect(x.rx.deliveries).toHaveLength(1);

    x.s.clock.advance(first.nextAttemptAt - t0 - 1);
    await sleep(200);
    expect(x.rx.deliveries).toHaveLength(1);
    x.s.clock.advance(1);
    await x.rx.waitFor(2);
    const second = await deliveryOf(x, id, (d) => d.attempts === 2);
    const t1 = first.nextAttemptAt;
    expect(second.lastError).toMatch(/^timeout: no answer within 300 ms/);
    expect(second.nextAttemptAt - t1).toBeGreaterThanOrEqual(80_000);
    expect(second.nextAttemptAt - t1).toBeLessThanOrEqual(100_000);
    await sleep(300);
    expect(x.rx.deliveries).toHaveLength(2);

    x.s.clock.set(second.nextAttemptAt);
    await x.rx.waitFor(3);
    const done = await deliveryOf(x, id, (d) => d.status === 'delivered');
    expect(done.attempts).toBe(3);
    const attempts = (await x.s.handle.ctx.repos.deliveries.attemptsOf([done.id])).get(done.id)!;
    expect(attempts.map((a) => [a.startedAt - t0, a.statusCode, a.error?.split(':')[0] ?? null])).toEqual([
      [0, 500, 'answered 500'],
      [t1 - t0, null, 'timeout'],
      [second.nextAttemptAt - t0, 200, null],
    ]);
    // One delivery, one id on every attempt; the attempt number counts up; every attempt signed.
    const seen = x.rx.deliveries.slice(0, 3);
    expect(new Set(seen.map((d) => d.headers['x-roost-delivery-id']))).toEqual(new Set([done.id]));
    expect(seen.map((d) => d.headers['x-roost-delivery-attempt'])).toEqual(['1', '2', '3']);
    expect(seen.every((d) => d.signatureValid)).toBe(true);
    expect(x.rx.accepted()).toHaveLength(1);
  });

  it('a receiver failing through the retry window: three retries, the last at the window’s end, then a dead letter', async () => {
    x.rx.deliveries.length = 0;
    x.rx.script = [];
    x.rx.then = 503;
    const t0 = x.s.clock.now();
    const id = (await postAs(x, 'never accepted')).body.data.id;
    for (let n = 1; n <= 3; n++) {
      const d = await deliveryOf(x, id, (r) => r.attempts === n);
      x.s.clock.set(d.nextAttemptAt);
    }
    const dead = await deliveryOf(x, id, (d) => d.status === 'dead');
    expect(dead.attempts).toBe(4);
    const attempts = (await x.s.handle.ctx.repos.deliveries.attemptsOf([dead.id])).get(dead.id)!;
    expect(attempts.at(-1)!.startedAt).toBe(t0 + 300_000);
    expect(x.rx.deliveries).toHaveLength(4);
    x.rx.then = 200;
  });

  it('while the webhook is invalid its deliveries wait, and die when the window ends', async () => {
    x.rx.deliveries.length = 0;
    x.rx.crc = 500;
    expect((await x.s.request('PUT', `/2/webhooks/${x.webhookId}`)).status).toBe(400);
    const id = (await postAs(x, 'held back')).body.data.id;
    const held = await deliveryOf(x, id, () => true);
    await sleep(300);
    expect(x.rx.deliveries).toHaveLength(0);
    x.s.clock.advance(300_001);
    const dead = await deliveryOf(x, id, (d) => d.status === 'dead');
    expect(dead.attempts).toBe(0);
    expect(dead.lastError).toBe('retry window elapsed');
    expect(held.id).toBe(dead.id);
    x.rx.crc = 'ok';
    expect((await x.s.request('PUT', `/2/webhooks/${x.webhookId}`)).status).toBe(200);
  });
});

describe('a concurrency limit per webhook', () => {
  let x: Setup;
  beforeAll(async () => {
    x = await setup({ concurrency: 2, timeoutMs: 1500 });
  });
  afterAll(async () => {
    await x.rx.close();
    await x.s.close();
  });

  it('five events to a receiver that never answers: two in flight at a time', async () => {
    x.rx.then = 'hang';
    for (let i = 0; i < 5; i++) await postAs(x, `slow ${i}`);
    await x.rx.waitFor(2);
    await sleep(700);
    expect(x.rx.deliveries).toHaveLength(2);
    await x.rx.waitFor(4, 5000);
    await sleep(300);
    expect(x.rx.deliveries).toHaveLength(4);
    await x.rx.waitFor(5, 5000);
    x.rx.then = 200;
  });
});

describe('POST /2/webhooks/replay', () => {
  let x: Setup;
  const at = (hh: number, mm: number, ss = 0) => Date.UTC(2026, 10, 1, hh, mm, ss);
  const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-T:]/g, '').slice(0, 12);
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    x = await setup({});
    for (const [name, t] of [['a', at(12, 0)], ['b', at(12, 1, 30)], ['c', at(12, 2, 59)], ['d', at(12, 3, 0)], ['e', at(12, 5)]] as const) {
      x.s.clock.set(t);
      ids[name] = (await postAs(x, `replay ${name}`)).body.data.id;
    }
    await x.rx.waitFor(5);
    x.s.clock.set(at(13, 0));
  });
  afterAll(async () => {
    await x.rx.close();
    await x.s.close();
  });

  it('replays exactly the events of [from_date, to_date): minutes, from inclusive, to exclusive; then Complete', async () => {
    const before = x.rx.deliveries.length;
    const originals = new Map(x.rx.deliveries.map((d) => [d.body.tweet_create_events[0].id_str, d]));
    const r = await x.s.request('POST', '/2/webhooks/replay', { body: { webhook_id: x.webhookId, from_date: '202611011201', to_date: '202611011203' } });
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ job_id: expect.stringMatching(/^\d+$/), created_at: new Date(at(13, 0)).toISOString() });
    const got = (await x.rx.waitFor(before + 3)).slice(before);
    const replayed = got.filter((d) => d.body.tweet_create_events).map((d) => d.body.tweet_create_events[0].id_str);
    expect(replayed.sort()).toEqual([ids.b, ids.c].sort());
    for (const d of got.filter((g) => g.body.tweet_create_events)) {
      const original = originals.get(d.body.tweet_create_events[0].id_str)!;
      // The same event (and body) under a new delivery id.
      expect(d.headers['x-roost-event-id']).toBe(original.headers['x-roost-event-id']);
      expect(d.headers['x-roost-delivery-id']).not.toBe(original.headers['x-roost-delivery-id']);
      expect(d.raw).toBe(original.raw);
      expect(d.signatureValid).toBe(true);
    }
    const status = got.find((d) => d.body.replay_job_status)!;
    expect(status.body).toEqual({ replay_job_status: { webhook_id: x.webhookId, job_state: 'Complete', job_state_description: 'Job completed successfully', job_id: r.body.data.job_id } });
    expect(got.indexOf(status)).toBe(2);
  });

  it('one job per webhook at a time (409); windows outside the last five days, reversed or in the future are refused', async () => {
    x.rx.then = 'hang';
    const first = await x.s.request('POST', '/2/webhooks/replay', { body: { webhook_id: x.webhookId, from_date: stamp(at(12, 0)), to_date: stamp(at(12, 6)) } });
    expect(first.status).toBe(200);
    const second = await x.s.request('POST', '/2/webhooks/replay', { body: { webhook_id: x.webhookId, from_date: stamp(at(12, 0)), to_date: stamp(at(12, 6)) } });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ title: 'Conflict', type: 'https://api.twitter.com/2/problems/conflict' });
    x.rx.then = 200;

    const bad = async (from_date: string, to_date: string, param: string) => {
      const r = await x.s.request('POST', '/2/webhooks/replay', { body: { webhook_id: x.webhookId, from_date, to_date } });
      expect(r.status, `${from_date}-${to_date}`).toBe(400);
      expect(r.body.errors[0].parameters).toHaveProperty(param);
      return r;
    };
    await bad(stamp(at(13, 0) - 6 * 86_400_000), stamp(at(12, 0)), 'from_date');
    await bad(stamp(at(12, 5)), stamp(at(12, 1)), 'from_date');
    await bad(stamp(at(12, 0)), stamp(at(15, 0)), 'to_date');
    await bad('202613011200', stamp(at(12, 1)), 'from_date');
    const malformed = await x.s.request('POST', '/2/webhooks/replay', { body: { webhook_id: x.webhookId, from_date: '2026-11-01', to_date: '202611011203' } });
    expect(malformed.status).toBe(400);
  });
});

