import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import type { ManualClock } from '../../src/clock.js';
import { postCountLabel, rankTerms, trendingSinceLabel } from '../../src/pipeline/trends.js';
import { PLACES } from '../../src/seed/places.js';
import { id, one } from './find.js';

const ME = '2244994945';
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ limits: { getTrendsByWoeid: { app: 1000 }, getTrendsPersonalizedTrends: { user: 1000, user24h: 1000 } } });
});
afterAll(async () => {
  await s?.close();
});
const clock = () => s.clock as ManualClock;
const trends = (woeid: number, query: Record<string, string | number> = {}) => s.get(`/2/trends/by/woeid/${woeid}`, { query });

describe('GET /2/trends/by/woeid/:woeid', () => {
  it('worldwide trends come from the world\'s recent hashtags, with counts', async () => {
    const r = await trends(1, { max_trends: 50 });
    expect(r.status).toBe(200);
    expect(r.body.data.length).toBeGreaterThan(3);
    for (const t of r.body.data) expect(Object.keys(t).sort()).toEqual(['trend_name', 'tweet_count']);
    expect(r.body.data.some((t: any) => t.trend_name.startsWith('#'))).toBe(true);
    const only = await trends(1, { 'trend.fields': 'trend_name', max_trends: 3 });
    expect(only.body.data).toHaveLength(3);
    expect(Object.keys(only.body.data[0])).toEqual(['trend_name']);
  });

  it('a burst of posts with a new hashtag moves the trends within a minute of server time', async () => {
    const before = await trends(1, { max_trends: 50 });
    expect(before.body.data.map((t: any) => t.trend_name)).not.toContain('#RoostBurst');
    const authors = await s.handle.ctx.store.db.selectFrom('users').select('id').where('suspended', '=', 0).where('protected', '=', 0).orderBy('id').limit(12).execute();
    for (const [i, a] of authors.entries()) {
      const token = await s.userTokenFor(id(a.id));
      const r = await s.request('POST', '/2/tweets', { token, body: { text: `Everyone is talking about this ${i} #RoostBurst` } });
      expect(r.status).toBe(201);
    }
    clock().advance(30_000);
    const after = await trends(1);
    expect(after.body.data[0]).toEqual({ trend_name: '#RoostBurst', tweet_count: authors.length });
    // Its score fades as the clock moves on; its count stays for the week, then it is gone.
    clock().advance(8 * 24 * 3_600_000);
    const later = await trends(1, { max_trends: 50 });
    expect((later.body.data ?? []).map((t: any) => t.trend_name)).not.toContain('#RoostBurst');
    clock().advance(-(8 * 24 * 3_600_000));
  });

  it('a town counts only posts tagged in its places; a country all of its places', async () => {
    const sf = PLACES.find((p) => p.fullName === 'San Francisco, CA')!;
    const token = await s.userTokenFor(id((await one(s, `select id from users where suspended = 0 and protected = 0 and id <> ${ME} order by id desc limit 1`)).id));
    for (let i = 0; i < 3; i++) {
      expect((await s.request('POST', '/2/tweets', { token, body: { text: `Fog again ${i} #KarlTheFog`, geo: { place_id: sf.id } } })).status).toBe(201);
    }
    const town = await trends(2487956, { max_trends: 50 });
    expect(town.body.data.find((t: any) => t.trend_name === '#KarlTheFog')).toEqual({ trend_name: '#KarlTheFog', tweet_count: 3 });
    const usa = await trends(23424977, { max_trends: 50 });
    expect(usa.body.data.map((t: any) => t.trend_name)).toContain('#KarlTheFog');
    const london = await trends(44418, { max_trends: 50 });
    expect((london.body.data ?? []).map((t: any) => t.trend_name)).not.toContain('#KarlTheFog');
  });

  it('an unknown WOEID and malformed parameters are X\'s 400', async () => {
    const unknown = await trends(999);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].parameters).toHaveProperty('woeid');
    expect((await trends(1, { max_trends: 51 })).status).toBe(400);
    expect((await s.get('/2/trends/by/woeid/abc')).status).toBe(400);
  });
});

describe('GET /2/users/personalized_trends', () => {
  it('is computed from the posts of the accounts the user follows', async () => {
    const followee = id((await one(s, `select followee_id from follows f join users u on u.id = f.followee_id where f.follower_id = ${ME} and u.protected = 0 and u.suspended = 0 order by followee_id limit 1`)).followee_id);
    const token = await s.userTokenFor(followee);
    expect((await s.request('POST', '/2/tweets', { token, body: { text: 'Only my followers see this trend #FollowedOnly' } })).status).toBe(201);
    const mine = await s.get('/2/users/personalized_trends', { token: s.userToken });
    expect(mine.status).toBe(200);
    const t = mine.body.data.find((x: any) => x.trend_name === '#FollowedOnly');
    expect(t).toEqual({ category: 'Trending', post_count: '1 post', trend_name: '#FollowedOnly', trending_since: 'Trending now' });
    const stranger = id((await one(s, `select id from users u where suspended = 0 and id <> ${ME} and not exists (select 1 from follows f where f.follower_id = u.id and f.followee_id = ${followee}) order by id limit 1`)).id);
    const theirs = await s.get('/2/users/personalized_trends', { token: await s.userTokenFor(stranger) });
    expect((theirs.body.data ?? []).map((x: any) => x.trend_name)).not.toContain('#FollowedOnly');
    const fields = await s.get('/2/users/personalized_trends', { token: s.userToken, query: { 'personalized_trend.fields': 'trend_name' } });
    expect(Object.keys(fields.body.data[0])).toEqual(['trend_name']);
    expect((await s.get('/2/users/personalized_trends')).status).toBe(403);
  });

  it('labels counts and ages as X writes them; ranking decays with age', () => {
    expect([postCountLabel(1), postCountLabel(842), postCountLabel(1234), postCountLabel(42_000), postCountLabel(3_150_000)]).toEqual(['1 post', '842 posts', '1.2K posts', '42K posts', '3.1M posts']);
    const now = 10 * 3_600_000;
    expect([trendingSinceLabel(now - 5 * 60_000, now), trendingSinceLabel(now - 5 * 3_600_000, now), trendingSinceLabel(now - 50 * 3_600_000, now)]).toEqual(['Trending now', '5 hours ago', '2 days ago']);
    const tag = (t: string, at: number) => ({ entities: { hashtags: [{ start: 0, end: 1, tag: t }] }, createdAt: at });
    const old = Array.from({ length: 10 }, () => tag('old', now - 9 * 3_600_000));
    const fresh = Array.from({ length: 3 }, () => tag('fresh', now));
    expect(rankTerms([...fresh, ...old], now).map((t) => [t.name, t.count])).toEqual([['#fresh', 3], ['#old', 10]]);
  });
});
