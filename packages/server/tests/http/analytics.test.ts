import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_NOW, type TestServer } from '@roost/dev-env';
import type { ManualClock } from '../../src/clock.js';
import { spreadImpressions } from '../../src/seed/impressions.js';
import { id, one } from './find.js';

const ME = '2244994945';
const HOUR = 3_600_000;
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});
const clock = () => s.clock as ManualClock;
const iso = (ms: number) => new Date(ms).toISOString();
const analytics = (query: Record<string, string>, token = s.userToken) => s.get('/2/tweets/analytics', { token, query });

describe('GET /2/tweets/analytics', () => {
  it('counts the likes, reposts, replies, quotes and bookmarks the world records, per hour, for the author only', async () => {
    const t0 = clock().now();
    const made = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: 'Analytics, counted' } });
    const pid = made.body.data.id;
    const fans = (await s.handle.ctx.store.db.selectFrom('users').select('id').where('suspended', '=', 0).where('protected', '=', 0).where('id', '<>', ME as never).orderBy('id').limit(3).execute()).map((r) => id(r.id));
    for (const f of fans.slice(0, 2)) expect((await s.request('POST', `/2/users/${f}/likes`, { token: await s.userTokenFor(f), body: { tweet_id: pid } })).status).toBe(200);
    clock().advance(HOUR);
    const fan = await s.userTokenFor(fans[2]!);
    expect((await s.request('POST', `/2/users/${fans[2]}/retweets`, { token: fan, body: { tweet_id: pid } })).status).toBe(200);
    expect((await s.request('POST', '/2/tweets', { token: fan, body: { text: 'Quoting it', quote_tweet_id: pid } })).status).toBe(201);
    expect((await s.request('POST', `/2/users/${ME}/bookmarks`, { token: s.userToken, body: { tweet_id: pid } })).status).toBe(200);

    const r = await analytics({ ids: pid, start_time: iso(t0), end_time: iso(t0 + 2 * HOUR), granularity: 'hourly', 'analytics.fields': 'likes,retweets,quote_tweets,bookmarks,replies,engagements,impressions,url_clicks,timestamped_metrics' });
    expect(r.status).toBe(200);
    const [a] = r.body.data;
    expect(a).toMatchObject({ id: pid, likes: 2, retweets: 1, quote_tweets: 1, bookmarks: 1, replies: 0, engagements: 5, impressions: 0, url_clicks: 0 });
    expect(a.timestamped_metrics.map((b: any) => [b.timestamp, b.metrics.engagements])).toEqual([[iso(Math.floor(t0 / HOUR) * HOUR), 2], [iso(Math.floor(t0 / HOUR) * HOUR + HOUR), 3]]);
    const total = await analytics({ ids: pid, start_time: iso(t0), end_time: iso(t0 + 2 * HOUR) });
    expect(total.body.data).toEqual([{ id: pid, impressions: 0, engagements: 5, timestamped_metrics: [{ timestamp: iso(t0), metrics: { impressions: 0, engagements: 5 } }] }]);
    // Someone else's post: Authorization Error; unknown: Not Found; the owner's post stays.
    const other = id((await one(s, `select id from posts where author_id <> ${ME} and deleted = 0 order by id desc limit 1`)).id);
    const mixed = await analytics({ ids: `${pid},${other},1`, start_time: iso(t0), end_time: iso(t0 + HOUR) });
    expect(mixed.body.data.map((d: any) => d.id)).toEqual([pid]);
    expect(mixed.body.errors.map((e: any) => [e.resource_id, e.title])).toEqual([[other, 'Authorization Error'], ['1', 'Not Found Error']]);
  });

  it('impressions are the seeded hourly rows, adding up to the public impression count', async () => {
    const p = await one(s, `select p.id, p.impression_count, p.created_at from posts p where p.author_id = ${ME} and p.impression_count > 0 and p.deleted = 0 and p.created_at > ${TEST_NOW - 80 * 24 * HOUR} order by p.id desc limit 1`).catch(() => null);
    const post = p ?? (await one(s, `select id, impression_count, created_at, author_id from posts where impression_count > 0 and deleted = 0 and created_at > ${TEST_NOW - 80 * 24 * HOUR} order by id desc limit 1`));
    const owner = p ? s.userToken : await s.userTokenFor(id((await one(s, `select author_id from posts where id = ${id(post.id)}`)).author_id));
    const r = await analytics({ ids: id(post.id), start_time: iso(Number(post.created_at) - HOUR), end_time: iso(TEST_NOW + HOUR), granularity: 'daily', 'analytics.fields': 'impressions,timestamped_metrics' }, owner);
    expect(r.status).toBe(200);
    expect(r.body.data[0].impressions).toBe(Number(post.impression_count));
    const sum = r.body.data[0].timestamped_metrics.reduce((n: number, b: any) => n + b.metrics.impressions, 0);
    expect(sum).toBe(Number(post.impression_count));
  });

  it('spreads impressions over the hours after posting, halving', () => {
    expect(spreadImpressions(0, 100, 10 * HOUR).map((x) => x.count)).toEqual([50, 25, 13, 6, 3, 2, 1]);
    expect(spreadImpressions(0, 100, HOUR / 2)).toEqual([{ hour: 0, count: 100 }]);
  });

  it('refuses a reversed range, too many buckets, app-only auth and malformed ids as X does', async () => {
    const now = clock().now();
    expect((await analytics({ ids: '1', start_time: iso(now), end_time: iso(now - HOUR) })).status).toBe(400);
    expect((await analytics({ ids: '1', start_time: iso(now - 400 * 24 * HOUR), end_time: iso(now), granularity: 'hourly' })).status).toBe(400);
    expect((await analytics({ ids: 'x', start_time: iso(now - HOUR), end_time: iso(now) })).status).toBe(400);
    expect((await analytics({ ids: '1', start_time: iso(now - HOUR), end_time: iso(now) }, s.bearer)).status).toBe(403);
  });
});
