import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_NOW, type TestServer } from '@roost/dev-env';
import type { ManualClock } from '../../src/clock.js';
import { createSpace, endSpace, startSpace } from '../../src/domain/spaces.js';
import { id, one } from './find.js';

const ME = '2244994945';
let s: TestServer;
const clock = () => s.clock as ManualClock;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

const FIELDS = 'created_at,ended_at,is_ticketed,lang,participant_count,scheduled_start,started_at,state,subscriber_count,title,updated_at';
const space = (sid: string, query: Record<string, string> = {}) => s.get(`/2/spaces/${sid}`, { query: { 'space.fields': FIELDS, ...query } });
const ctx = () => s.handle.ctx;

describe('Spaces: the seeded world', () => {
  it('holds ended, live and scheduled Spaces, and the state follows the clock', async () => {
    const rows = (await ctx().repos.spaces.byCreators((await ctx().repos.users.roster()).map((u) => u.id)));
    expect(rows.length).toBeGreaterThanOrEqual(9);
    const states = new Set<string>();
    for (const r of rows.slice(0, 12)) states.add((await space(r.id)).body.data.state);
    expect([...states].sort()).toEqual(['ended', 'live', 'scheduled']);
  });

  it('looks up by ids in order, with a Problem per unknown id, and by creators (live and scheduled only)', async () => {
    const all = await ctx().repos.spaces.byCreators((await ctx().repos.users.roster()).map((u) => u.id));
    const [a, b] = all;
    const r = await s.get('/2/spaces', { query: { ids: `${b!.id},1ZZZZZZZZZZZZ,${a!.id}` } });
    expect(r.status).toBe(200);
    expect(r.body.data.map((d: any) => d.id)).toEqual([b!.id, a!.id]);
    expect(Object.keys(r.body.data[0]).sort()).toEqual(['id', 'state']);
    expect(r.body.errors).toEqual([expect.objectContaining({ resource_type: 'space', parameter: 'ids', resource_id: '1ZZZZZZZZZZZZ', title: 'Not Found Error' })]);

    const creator = a!.creatorId;
    const byCreator = await s.get('/2/spaces/by/creator_ids', { query: { user_ids: creator, expansions: 'creator_id' } });
    if (byCreator.body.data) expect(byCreator.body.data[0].creator_id).toBe(creator);
    expect(byCreator.status).toBe(200);
    const mine = all.filter((x) => x.creatorId === creator);
    const expected = mine.filter((x) => !(x.endAt !== null && x.endAt <= TEST_NOW)).map((x) => x.id);
    expect((byCreator.body.data ?? []).map((d: any) => d.id)).toEqual(expected);
    expect(byCreator.body.meta.result_count).toBe(expected.length);
  });

  it('an unknown id is a Not Found Problem; a malformed one is X\'s 400', async () => {
    const r = await s.get('/2/spaces/1ZZZZZZZZZZZZ');
    expect(r.status).toBe(200);
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors[0]).toMatchObject({ resource_type: 'space', parameter: 'id', detail: 'Could not find space with id: [1ZZZZZZZZZZZZ].' });
    const bad = await s.get('/2/spaces/not-a-space!');
    expect(bad.status).toBe(400);
    const noIds = await s.get('/2/spaces');
    expect(noIds.status).toBe(400);
    expect(noIds.body.errors[0].parameters).toHaveProperty('ids');
  });
});

describe('Spaces: the state machine on the server clock', () => {
  it('a scheduled Space goes live at its start and ends after its length, as the clock moves', async () => {
    const start = clock().now() + 60 * 60_000;
    const created = await createSpace(ctx(), { creatorId: ME, title: 'Roost release party', scheduledStart: start, durationMs: 30 * 60_000, isTicketed: true, topicIds: ['848920371311001600'] });
    expect(created.id).toMatch(/^[a-zA-Z0-9]{13}$/);
    let r = await space(created.id);
    expect(r.body.data).toMatchObject({ state: 'scheduled', title: 'Roost release party', scheduled_start: new Date(start).toISOString(), is_ticketed: true, subscriber_count: 0 });
    expect(r.body.data.started_at).toBeUndefined();

    clock().advance(60 * 60_000);
    r = await space(created.id);
    expect(r.body.data).toMatchObject({ state: 'live', started_at: new Date(start).toISOString(), updated_at: new Date(start).toISOString(), participant_count: 0 });
    expect(r.body.data.ended_at).toBeUndefined();

    clock().advance(30 * 60_000);
    r = await space(created.id);
    expect(r.body.data).toMatchObject({ state: 'ended', ended_at: new Date(start + 30 * 60_000).toISOString() });
    // An ended Space is no longer found by its creator's id or by search.
    const byCreator = await s.get('/2/spaces/by/creator_ids', { query: { user_ids: ME } });
    expect((byCreator.body.data ?? []).map((d: any) => d.id)).not.toContain(created.id);
    const search = await s.get('/2/spaces/search', { query: { query: 'release party' } });
    expect((search.body.data ?? []).map((d: any) => d.id)).not.toContain(created.id);
  });

  it('started and ended by hand: go live now, end now; wrong states are refused', async () => {
    const sp = await createSpace(ctx(), { creatorId: ME, title: 'Manual drive', scheduledStart: clock().now() + 86_400_000 });
    await expect(endSpace(ctx(), sp.id)).rejects.toThrow(/scheduled, not live/);
    await startSpace(ctx(), sp.id);
    expect((await space(sp.id)).body.data.state).toBe('live');
    await expect(startSpace(ctx(), sp.id)).rejects.toThrow(/live, not scheduled/);
    clock().advance(1000);
    await endSpace(ctx(), sp.id);
    expect((await space(sp.id)).body.data).toMatchObject({ state: 'ended', ended_at: new Date(clock().now()).toISOString() });
  });
});

describe('Spaces: shared in the seeded world', () => {
  it('every seeded Space is shared in posts carrying its URL, and GET /2/spaces/:id/tweets finds exactly those', async () => {
    // The seeded Spaces: those created before the world's clock started (tests create theirs later).
    const spaces = (await ctx().repos.spaces.byCreators((await ctx().repos.users.roster()).map((u) => u.id))).filter((sp) => sp.createdAt < TEST_NOW);
    expect(spaces.length).toBeGreaterThanOrEqual(9);
    const db = ctx().store.db;
    let checked = 0;
    for (const sp of spaces) {
      const url = `https://x.com/i/spaces/${sp.id}`;
      // Search shows public posts only: the sharing posts of public authors, newest first.
      const rows = await db
        .selectFrom('posts as p')
        .innerJoin('users as u', 'u.id', 'p.author_id')
        .select(['p.id', 'p.author_id', 'p.entities', 'u.protected'])
        .where('p.entities', 'like', `%${url}%`)
        .orderBy('p.id', 'desc')
        .execute();
      const creatorPost = rows.find((p) => String(p.author_id) === sp.creatorId);
      expect(creatorPost, `the creator shares Space ${sp.id}`).toBeDefined();
      const expected = rows.filter((p) => Number(p.protected) === 0).map((p) => String(p.id));
      const r = await s.get(`/2/spaces/${sp.id}/tweets`, { query: { 'tweet.fields': 'entities,author_id' } });
      expect(r.status).toBe(200);
      expect((r.body.data ?? []).map((p: any) => p.id)).toEqual(expected);
      for (const p of r.body.data ?? []) expect(p.entities.urls.map((u: any) => u.expanded_url)).toContain(url);
      checked += expected.length ? 1 : 0;
    }
    expect(checked).toBeGreaterThanOrEqual(5);
  });
});

describe('Spaces: search, expansions, buyers, posts', () => {
  it('searches titles word by word with state, and expands creator, hosts, speakers, invited users and topics', async () => {
    const live = await createSpace(ctx(), { creatorId: ME, title: 'Kestrel Watch live', speakerIds: [] , topicIds: ['849075668352499712'] });
    const later = await createSpace(ctx(), { creatorId: ME, title: 'Kestrel Watch encore', scheduledStart: clock().now() + 3_600_000, invitedUserIds: [ME] });
    const both = await s.get('/2/spaces/search', { query: { query: 'kestrel watch', expansions: 'creator_id,host_ids,invited_user_ids,topic_ids', 'topic.fields': 'description', 'user.fields': 'username' } });
    expect(both.status).toBe(200);
    expect(both.body.data.map((d: any) => d.id).sort()).toEqual([live.id, later.id].sort());
    expect(both.body.meta.result_count).toBe(2);
    expect(both.body.includes.users.map((u: any) => u.id)).toEqual([ME]);
    expect(both.body.includes.topics).toEqual([{ id: '849075668352499712', name: 'Science', description: 'Science' }]);
    const liveOnly = await s.get('/2/spaces/search', { query: { query: 'Kestrel', state: 'live' } });
    expect(liveOnly.body.data.map((d: any) => d.id)).toEqual([live.id]);
    const scheduled = await s.get('/2/spaces/search', { query: { query: 'Kestrel', state: 'scheduled', max_results: 1 } });
    expect(scheduled.body.data.map((d: any) => d.id)).toEqual([later.id]);
    const none = await s.get('/2/spaces/search', { query: { query: 'no such words here' } });
    expect(none.body).toEqual({ meta: { result_count: 0 } });
    expect((await s.get('/2/spaces/search', { query: { query: 'x', state: 'over' } })).status).toBe(400);
  });

  it('buyers of a ticketed Space are for its creator only, newest purchase first, paged', async () => {
    const r = await one(s, 'select space_id, count(*) as n from space_buyers group by space_id order by n desc, space_id limit 1');
    const sid = String(r.space_id);
    const sp = (await ctx().repos.spaces.byIds([sid])).get(sid)!;
    const creatorToken = await s.userTokenFor(sp.creatorId);
    const page = await s.get(`/2/spaces/${sid}/buyers`, { token: creatorToken, query: { max_results: 1 } });
    expect(page.status).toBe(200);
    expect(page.body.data).toHaveLength(1);
    const all = await s.get(`/2/spaces/${sid}/buyers`, { token: creatorToken });
    expect(all.body.meta.result_count).toBe(Number(r.n));
    if (Number(r.n) > 1) {
      const next = await s.get(`/2/spaces/${sid}/buyers`, { token: creatorToken, query: { max_results: 1, pagination_token: page.body.meta.next_token } });
      expect(next.body.data[0].id).toBe(all.body.data[1].id);
    }
    const other = sp.creatorId === ME ? await s.userTokenFor(id((await one(s, `select id from users where id <> ${ME} and suspended = 0 limit 1`)).id)) : s.userToken;
    expect((await s.get(`/2/spaces/${sid}/buyers`, { token: other })).status).toBe(403);
    expect((await s.get(`/2/spaces/${sid}/buyers`)).status).toBe(403); // app-only: the spec names user context only
    expect((await s.get('/2/spaces/1ZZZZZZZZZZZZ/buyers', { token: s.userToken })).body.errors[0].resource_type).toBe('space');
  });

  it('posts shared in a Space are the posts linking to it', async () => {
    const sp = await createSpace(ctx(), { creatorId: ME, title: 'Shared links' });
    const empty = await s.get(`/2/spaces/${sp.id}/tweets`);
    expect(empty.body).toEqual({ meta: { result_count: 0 } });
    const made = await s.request('POST', '/2/tweets', { token: s.userToken, body: { text: `Join us https://x.com/i/spaces/${sp.id}` } });
    expect(made.status).toBe(201);
    const r = await s.get(`/2/spaces/${sp.id}/tweets`, { query: { expansions: 'author_id', 'tweet.fields': 'entities' } });
    expect(r.status).toBe(200);
    expect(r.body.data.map((p: any) => p.id)).toEqual([made.body.data.id]);
    // As X stores it: the link wrapped in t.co, the Space's URL as expanded_url.
    expect(r.body.data[0].entities.urls).toEqual([expect.objectContaining({ url: expect.stringMatching(/^https:\/\/t\.co\//), expanded_url: `https://x.com/i/spaces/${sp.id}`, display_url: `x.com/i/spaces/${sp.id}` })]);
    expect(r.body.includes.users[0].id).toBe(ME);
    expect((await s.get('/2/spaces/1ZZZZZZZZZZZZ/tweets')).body.errors[0].resource_type).toBe('space');
  });
});
