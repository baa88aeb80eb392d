/**
 * The list operations over HTTP: create/update/delete by the owner, lookup with list.fields and the owner_id
 * expansion, members, followers, pins, owned lists, X's limits and every error; each 2xx body is checked against
 * the spec's schema by the harness.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_NOW, type TestServer } from '@roost/dev-env';
import type { DomainEvent } from '../../src/events/bus.js';
import { ME, listWorld } from './list-world.js';

let s: TestServer;
let w: ReturnType<typeof listWorld>;
const events: DomainEvent[] = [];
beforeAll(async () => {
  // The reads of X's per-15-minute figures (15 for owned lists) are far below what these tests send.
  s = await startTestServer({ limits: { '*': { app: 100_000, user: 100_000 } } });
  w = listWorld(s);
  s.handle.ctx.bus.subscribe((e) => events.push(e));
});
afterAll(async () => {
  await s?.close();
});

const post = (path: string, body: unknown, token = s.userToken) => s.request('POST', path, { token, body });
const put = (path: string, body: unknown, token = s.userToken) => s.request('PUT', path, { token, body });
const del = (path: string, token: string | null = s.userToken) => s.request('DELETE', path, { token });
const ids = (r: { body: any }): string[] => (r.body.data ?? []).map((d: any) => d.id);
const PROBLEMS = 'https://api.twitter.com/2/problems/';
const listNotFound = (id: string, parameter = 'id') => ({
  value: id,
  detail: `Could not find list with ${parameter}: [${id}].`,
  title: 'Not Found Error',
  resource_type: 'list',
  parameter,
  resource_id: id,
  type: `${PROBLEMS}resource-not-found`,
});
const forbidden = (detail: string) => ({ detail, type: 'about:blank', title: 'Forbidden', status: 403 });
const invalid = (r: { status: number; body: any }, param: string) => {
  expect(r.status, JSON.stringify(r.body)).toBe(400);
  expect(r.body.title).toBe('Invalid Request');
  // Query and path parameters are named in `parameters`; body members in the message's JSON path.
  expect(JSON.stringify(r.body.errors)).toContain(param);
};
const NOBODY_LIST = '1';

describe('create, look up, update, delete', () => {
  it('creates (201 {id, name}), answers every list.field and the owner_id expansion, updates and deletes', async () => {
    events.length = 0;
    const c = await post('/2/lists', { name: 'Roost fans', description: 'People who self-host X', private: false });
    expect(c.status).toBe(201);
    expect(Object.keys(c.body.data).sort()).toEqual(['id', 'name']);
    expect(c.body.data.name).toBe('Roost fans');
    const id = c.body.data.id;
    expect(id).toMatch(/^\d{1,19}$/);

    const bare = await s.get(`/2/lists/${id}`);
    expect(bare.body).toEqual({ data: { id, name: 'Roost fans' } });
    const full = await s.get(`/2/lists/${id}`, {
      query: { 'list.fields': 'created_at,description,follower_count,id,member_count,name,owner_id,private', expansions: 'owner_id', 'user.fields': 'created_at,username' },
    });
    expect(full.status).toBe(200);
    expect(full.body).toEqual({
      data: { id, name: 'Roost fans', created_at: new Date(TEST_NOW).toISOString(), description: 'People who self-host X', follower_count: 0, member_count: 0, owner_id: ME, private: false },
      includes: { users: [{ id: ME, name: 'X Developers', username: 'XDevelopers', created_at: '2013-12-14T04:35:55.000Z' }] },
    });
    // The expansion brings the field it expands from (FACTS §2.3).
    expect((await s.get(`/2/lists/${id}`, { query: { expansions: 'owner_id' } })).body.data).toEqual({ id, name: 'Roost fans', owner_id: ME });

    const u = await put(`/2/lists/${id}`, { name: 'Roost friends', description: '', private: true });
    expect(u.status).toBe(200);
    expect(u.body).toEqual({ data: { updated: true } });
    expect((await s.get(`/2/lists/${id}`, { token: s.userToken, query: { 'list.fields': 'description,private' } })).body.data).toEqual({
      id,
      name: 'Roost friends',
      description: '',
      private: true,
    });
    // An empty update changes nothing and is still an update.
    expect((await put(`/2/lists/${id}`, {})).body).toEqual({ data: { updated: true } });

    const d = await del(`/2/lists/${id}`);
    expect(d.status).toBe(200);
    expect(d.body).toEqual({ data: { deleted: true } });
    expect((await s.get(`/2/lists/${id}`, { token: s.userToken })).body).toEqual({ errors: [listNotFound(id)] });
    expect((await del(`/2/lists/${id}`)).body).toEqual({ errors: [listNotFound(id)] });
    expect(events.map((e) => e.type)).toEqual(['list.created', 'list.updated', 'list.updated', 'list.deleted']);
    expect(events[0]).toMatchObject({ listId: id, ownerId: ME });
  });

  it('refuses bad bodies, blank names and unknown keys with X 400s', async () => {
    for (const [body, param] of [
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: 'x'.repeat(26) }, 'name'],
      [{ name: 'ok', description: 'd'.repeat(101) }, 'description'],
      [{ name: 'ok', private: 'yes' }, 'private'],
      [{ name: 'ok', color: 'red' }, 'color'],
      [{ name: '   ' }, 'name'],
    ] as const) {
      invalid(await post('/2/lists', body), param);
    }
    const id = await w.create(s.userToken, { name: 'Valid' });
    invalid(await put(`/2/lists/${id}`, { name: '' }), 'name');
    invalid(await put(`/2/lists/${id}`, { name: ' ' }), 'name');
    invalid(await put(`/2/lists/${id}`, { owner_id: '12' }), 'owner_id');
    invalid(await put('/2/lists/abc', { name: 'x' }), 'id');
    invalid(await del('/2/lists/abc'), 'id');
    invalid(await s.get('/2/lists/abc'), 'id');
    invalid(await s.get(`/2/lists/${id}`, { query: { 'list.fields': 'color' } }), 'list.fields');
    invalid(await s.get(`/2/lists/${id}`, { query: { expansions: 'author_id' } }), 'expansions');
  });

  it('writes only for the owner (403 on a public list of someone else), Not Found for unknown lists', async () => {
    const [other] = await w.freshUsers(1);
    const theirs = await w.create(await s.userTokenFor(other!), { name: 'Theirs' });
    expect((await put(`/2/lists/${theirs}`, { name: 'Mine now' })).body).toEqual(forbidden('You are not allowed to update this List.'));
    expect((await put(`/2/lists/${theirs}`, { name: 'Mine now' })).status).toBe(403);
    const d = await del(`/2/lists/${theirs}`);
    expect(d.status).toBe(403);
    expect(d.body).toEqual(forbidden('You are not allowed to delete this List.'));
    expect((await s.get(`/2/lists/${theirs}`)).body.data.name).toBe('Theirs');
    expect((await put(`/2/lists/${NOBODY_LIST}`, { name: 'x' })).body).toEqual({ errors: [listNotFound(NOBODY_LIST)] });
    expect((await del(`/2/lists/${NOBODY_LIST}`)).body).toEqual({ errors: [listNotFound(NOBODY_LIST)] });
    expect((await s.get(`/2/lists/${NOBODY_LIST}`)).body).toEqual({ errors: [listNotFound(NOBODY_LIST)] });
  });

  it('authentication: writes refuse app-only bearers and missing scopes; lookups take every kind; no token is 401', async () => {
    const app = await post('/2/lists', { name: 'x' }, s.bearer);
    expect(app.status).toBe(403);
    expect(app.body.title).toBe('Unsupported Authentication');
    const weak = await s.userTokenFor(ME, ['tweet.read', 'users.read', 'list.read']);
    const w1 = await post('/2/lists', { name: 'x' }, weak);
    expect(w1.status).toBe(403);
    expect(w1.body.detail).toContain('list.write');
    const id = await w.create(s.userToken, { name: 'Scoped' });
    expect((await put(`/2/lists/${id}`, { name: 'y' }, weak)).status).toBe(403);
    expect((await del(`/2/lists/${id}`, weak)).status).toBe(403);
    expect((await s.get(`/2/lists/${id}`, { token: weak })).status).toBe(200);
    const noList = await s.get(`/2/lists/${id}`, { token: await s.userTokenFor(ME, ['tweet.read', 'users.read']) });
    expect(noList.status).toBe(403);
    expect(noList.body.detail).toContain('list.read');
    const anon = await s.get(`/2/lists/${id}`, { token: null });
    expect(anon.status).toBe(401);
    expect(anon.body).toEqual({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
    expect((await del(`/2/lists/${id}`, null)).status).toBe(401);
  });

  it('X limit: at most 1,000 lists per owner (403), creations serialised per owner', async () => {
    const [owner] = await w.freshUsers(1);
    const token = await s.userTokenFor(owner!);
    // The world holds far fewer: 998 lists stored directly, then the last two through the API, concurrently with more.
    const rows = Array.from({ length: 998 }, (_, i) => ({
      id: String(1_000_000_000_000n + BigInt(i)),
      ownerId: owner!,
      name: `bulk ${i}`,
      description: '',
      private: false,
      memberCount: 0,
      followerCount: 0,
      createdAt: TEST_NOW - 1000,
    }));
    await s.handle.ctx.repos.lists.insertMany(rows);
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => post('/2/lists', { name: `race ${i}` }, token)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    for (const r of results.filter((x) => x.status !== 201)) expect(r.body).toEqual(forbidden('You cannot own more than 1000 Lists.'));
    expect(await w.count(`lists where owner_id = ${owner}`)).toBe(1000);
  });
});

describe('members', () => {
  it('add, add again, list, memberships, remove, remove again: exact member_count and listed_count, events', async () => {
    const [a, b] = await w.freshUsers(2);
    const id = await w.create(s.userToken, { name: 'Members' });
    const before = await w.listed(a!);
    events.length = 0;
    const add = await post(`/2/lists/${id}/members`, { user_id: a });
    expect(add.status).toBe(200);
    expect(add.body).toEqual({ data: { is_member: true } });
    expect((await post(`/2/lists/${id}/members`, { user_id: a })).body).toEqual({ data: { is_member: true } });
    s.clock.advance(1000);
    await post(`/2/lists/${id}/members`, { user_id: b });
    expect(await w.listCounters(id)).toMatchObject({ members: 2, memberRows: 2 });
    expect(await w.listed(a!)).toEqual({ counter: before.counter + 1, publicMemberships: before.publicMemberships + 1 });

    const m = await s.get(`/2/lists/${id}/members`, { query: { 'user.fields': 'public_metrics', expansions: 'pinned_tweet_id' } });
    expect(m.status).toBe(200);
    expect(ids(m)).toEqual([b, a]);
    expect(m.body.meta).toEqual({ result_count: 2 });
    expect(m.body.data[1].public_metrics.listed_count).toBe(before.counter + 1);

    const ms = await s.get(`/2/users/${a}/list_memberships`, { query: { 'list.fields': 'member_count,owner_id', max_results: 100 } });
    expect(ms.status).toBe(200);
    expect(ms.body.data[0]).toEqual({ id, name: 'Members', member_count: 2, owner_id: ME });

    const r = await del(`/2/lists/${id}/members/${a}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: { is_member: false } });
    expect((await del(`/2/lists/${id}/members/${a}`)).body).toEqual({ data: { is_member: false } });
    expect(await w.listCounters(id)).toMatchObject({ members: 1, memberRows: 1 });
    expect(await w.listed(a!)).toEqual(before);
    expect(events.map((e) => e.type)).toEqual(['list.member.added', 'list.member.added', 'list.member.removed']);
  });

  it('a private list counts in nobody’s listed_count; turning it public or private moves every member’s', async () => {
    const [a, b] = await w.freshUsers(2);
    const id = await w.create(s.userToken, { name: 'Quiet', private: true });
    const [la, lb] = [await w.listed(a!), await w.listed(b!)];
    await post(`/2/lists/${id}/members`, { user_id: a });
    await post(`/2/lists/${id}/members`, { user_id: b });
    expect(await w.listed(a!)).toEqual(la);
    await put(`/2/lists/${id}`, { private: false });
    expect((await w.listed(a!)).counter).toBe(la.counter + 1);
    expect((await w.listed(b!)).counter).toBe(lb.counter + 1);
    await put(`/2/lists/${id}`, { private: true });
    expect(await w.listed(a!)).toEqual(la);
    await put(`/2/lists/${id}`, { private: false });
    // Deleting a public list takes its members' listed_count back down.
    await del(`/2/lists/${id}`);
    expect(await w.listed(a!)).toEqual(la);
    expect(await w.listed(b!)).toEqual(lb);
  });

  it('refusals: not the owner (403), unknown list or user, suspended user, protected or blocked user (403), bad input', async () => {
    const [other, target] = await w.freshUsers(2);
    const mine = await w.create(s.userToken, { name: 'Mine' });
    const theirs = await w.create(await s.userTokenFor(other!), { name: 'Theirs' });
    expect((await post(`/2/lists/${theirs}/members`, { user_id: target })).body).toEqual(forbidden('You are not allowed to add members to this List.'));
    expect((await del(`/2/lists/${theirs}/members/${target}`)).body).toEqual(forbidden('You are not allowed to remove members from this List.'));
    expect((await post(`/2/lists/${NOBODY_LIST}/members`, { user_id: target })).body).toEqual({ errors: [listNotFound(NOBODY_LIST)] });
    expect((await del(`/2/lists/${NOBODY_LIST}/members/${target}`)).body).toEqual({ errors: [listNotFound(NOBODY_LIST)] });
    const ghost = await post(`/2/lists/${mine}/members`, { user_id: '1' });
    expect(ghost.status).toBe(200);
    expect(ghost.body.errors[0]).toMatchObject({ title: 'Not Found Error', resource_type: 'user', parameter: 'user_id', resource_id: '1' });
    const suspended = await w.suspendedUser();
    expect((await post(`/2/lists/${mine}/members`, { user_id: suspended })).body.errors[0]).toMatchObject({ title: 'Forbidden', detail: `User has been suspended: [${suspended}].` });

    const notListable = forbidden('You are not allowed to add this user to this List.');
    const prot = await w.protectedUser();
    expect((await post(`/2/lists/${mine}/members`, { user_id: prot })).body).toEqual(notListable);
    const unfollow = await w.relate('follows', ME, prot);
    expect((await post(`/2/lists/${mine}/members`, { user_id: prot })).body).toEqual({ data: { is_member: true } });
    await unfollow();
    for (const [a, b] of [
      [target!, ME],
      [ME, target!],
    ]) {
      const unblock = await w.relate('blocks', a, b);
      const r = await post(`/2/lists/${mine}/members`, { user_id: target });
      expect(r.status).toBe(403);
      expect(r.body).toEqual(notListable);
      await unblock();
    }
    expect((await post(`/2/lists/${mine}/members`, { user_id: target })).status).toBe(200);
    // Adding oneself is allowed.
    expect((await post(`/2/lists/${mine}/members`, { user_id: ME })).body).toEqual({ data: { is_member: true } });

    for (const b of [{}, { user_id: 5 }, { user_id: 'x' }, { user_id: '1', more: 1 }]) invalid(await post(`/2/lists/${mine}/members`, b), Object.keys(b)[1] ?? 'user_id');
    invalid(await del(`/2/lists/${mine}/members/abc`), 'user_id');
    expect((await post(`/2/lists/${mine}/members`, { user_id: target }, s.bearer)).status).toBe(403);
    expect((await w.listCounters(mine)).members).toBe(await w.count(`list_members where list_id = ${mine}`));
  });

  it('X limit: at most 5,000 members (403); an existing member is still answered is_member', async () => {
    const [a, b] = await w.freshUsers(2);
    const id = await w.create(s.userToken, { name: 'Crowded' });
    await post(`/2/lists/${id}/members`, { user_id: a });
    // The world holds 120 users: the counter is what the cap reads, so it stands in for 4,999 more members.
    await w.rows(`update lists set member_count = 5000 where id = ${id}`);
    const r = await post(`/2/lists/${id}/members`, { user_id: b });
    expect(r.status).toBe(403);
    expect(r.body).toEqual(forbidden('A List cannot have more than 5000 members.'));
    expect((await post(`/2/lists/${id}/members`, { user_id: a })).body).toEqual({ data: { is_member: true } });
    expect(await w.count(`list_members where list_id = ${id}`)).toBe(1);
  });

  it('pages members newest first with next and previous tokens; refuses foreign and malformed tokens', async () => {
    const people = await w.freshUsers(7);
    const id = await w.create(s.userToken, { name: 'Paged' });
    for (const u of people) {
      await post(`/2/lists/${id}/members`, { user_id: u });
      s.clock.advance(1000);
    }
    const p1 = await s.get(`/2/lists/${id}/members`, { query: { max_results: 3 } });
    expect(ids(p1)).toEqual(people.slice(4).reverse());
    expect(p1.body.meta.previous_token).toBeUndefined();
    const p2 = await s.get(`/2/lists/${id}/members`, { query: { max_results: 3, pagination_token: p1.body.meta.next_token } });
    expect(ids(p2)).toEqual(people.slice(1, 4).reverse());
    const p3 = await s.get(`/2/lists/${id}/members`, { query: { max_results: 3, pagination_token: p2.body.meta.next_token } });
    expect(ids(p3)).toEqual([people[0]]);
    expect(p3.body.meta.next_token).toBeUndefined();
    const back = await s.get(`/2/lists/${id}/members`, { query: { max_results: 3, pagination_token: p3.body.meta.previous_token } });
    expect(ids(back)).toEqual(ids(p2));
    expect(p2.body.meta).toMatchObject({ result_count: 3 });

    invalid(await s.get(`/2/lists/${id}/members`, { query: { max_results: 0 } }), 'max_results');
    invalid(await s.get(`/2/lists/${id}/members`, { query: { max_results: 101 } }), 'max_results');
    invalid(await s.get(`/2/lists/${id}/members`, { query: { pagination_token: 'garbage!' } }), 'pagination_token');
    // A members token is no followers token, and no token of the user's followers list either.
    invalid(await s.get(`/2/lists/${id}/followers`, { query: { pagination_token: p1.body.meta.next_token } }), 'pagination_token');
    invalid(await s.get(`/2/users/${ME}/followers`, { query: { pagination_token: p1.body.meta.next_token } }), 'pagination_token');
    expect((await s.get(`/2/lists/${NOBODY_LIST}/members`)).body).toEqual({ errors: [listNotFound(NOBODY_LIST)] });
  });
});

describe('followers', () => {
  it('follow, follow again, followers, followed_lists, unfollow twice: exact follower_count, events', async () => {
    const [fan] = await w.freshUsers(1);
    const token = await s.userTokenFor(fan!);
    const id = await w.create(s.userToken, { name: 'Followed', description: 'worth it' });
    events.length = 0;
    const f = await post(`/2/users/${fan}/followed_lists`, { list_id: id }, token);
    expect(f.status).toBe(200);
    expect(f.body).toEqual({ data: { following: true } });
    expect((await post(`/2/users/${fan}/followed_lists`, { list_id: id }, token)).body).toEqual({ data: { following: true } });
    expect(await w.listCounters(id)).toMatchObject({ followers: 1, followerRows: 1 });

    const fs = await s.get(`/2/lists/${id}/followers`, { query: { 'user.fields': 'username' } });
    expect(fs.status).toBe(200);
    expect(ids(fs)).toEqual([fan]);
    const fl = await s.get(`/2/users/${fan}/followed_lists`, { query: { 'list.fields': 'description,follower_count', expansions: 'owner_id' } });
    expect(fl.status).toBe(200);
    expect(fl.body.data).toEqual([{ id, name: 'Followed', description: 'worth it', follower_count: 1, owner_id: ME }]);
    expect(fl.body.includes.users.map((u: any) => u.id)).toEqual([ME]);
    expect(fl.body.meta).toEqual({ result_count: 1 });

    const u = await del(`/2/users/${fan}/followed_lists/${id}`, token);
    expect(u.status).toBe(200);
    expect(u.body).toEqual({ data: { following: false } });
    expect((await del(`/2/users/${fan}/followed_lists/${id}`, token)).body).toEqual({ data: { following: false } });
    expect(await w.listCounters(id)).toMatchObject({ followers: 0, followerRows: 0 });
    expect((await s.get(`/2/lists/${id}/followers`)).body).toEqual({ meta: { result_count: 0 } });
    expect(events.map((e) => e.type)).toEqual(['list.followed', 'list.unfollowed']);
  });

  it('making a list private drops everyone’s follows and pins but the owner’s', async () => {
    const [fan] = await w.freshUsers(1);
    const token = await s.userTokenFor(fan!);
    const id = await w.create(s.userToken, { name: 'Going private' });
    await post(`/2/users/${fan}/followed_lists`, { list_id: id }, token);
    await post(`/2/users/${fan}/pinned_lists`, { list_id: id }, token);
    await post(`/2/users/${ME}/pinned_lists`, { list_id: id });
    await put(`/2/lists/${id}`, { private: true });
    expect(await w.listCounters(id)).toMatchObject({ followers: 0, followerRows: 0 });
    expect(await w.count(`list_pins where list_id = ${id}`)).toBe(1);
    expect((await s.get(`/2/users/${fan}/followed_lists`, { token })).body.data ?? []).not.toContainEqual(expect.objectContaining({ id }));
    await del(`/2/lists/${id}`);
  });

  it('refusals: own list (400), another user’s path (403), unknown list, owner blocking the follower, bad input', async () => {
    const [fan, owner] = await w.freshUsers(2);
    const token = await s.userTokenFor(fan!);
    const mine = await w.create(s.userToken, { name: 'Own' });
    const own = await post(`/2/users/${ME}/followed_lists`, { list_id: mine });
    invalid(own, 'list_id');
    expect(own.body.errors[0].message).toBe('You cannot follow a List you own.');
    expect((await post(`/2/users/${fan}/followed_lists`, { list_id: mine })).status).toBe(403);
    expect((await del(`/2/users/${fan}/followed_lists/${mine}`)).status).toBe(403);
    expect((await post(`/2/users/${fan}/followed_lists`, { list_id: NOBODY_LIST }, token)).body).toEqual({ errors: [listNotFound(NOBODY_LIST, 'list_id')] });
    const theirs = await w.create(await s.userTokenFor(owner!), { name: 'Blocky' });
    const unblock = await w.relate('blocks', owner!, fan!);
    const blocked = await post(`/2/users/${fan}/followed_lists`, { list_id: theirs }, token);
    expect(blocked.body.errors[0]).toMatchObject({ title: 'Authorization Error', resource_type: 'list', parameter: 'list_id', resource_id: theirs });
    await unblock();
    expect((await post(`/2/users/${fan}/followed_lists`, { list_id: theirs }, token)).body).toEqual({ data: { following: true } });
    for (const b of [{}, { list_id: 1 }, { list_id: 'x' }, { list_id: theirs, extra: true }]) invalid(await post(`/2/users/${fan}/followed_lists`, b, token), Object.keys(b)[1] ?? 'list_id');
    invalid(await del(`/2/users/${fan}/followed_lists/abc`, token), 'list_id');
    expect((await post(`/2/users/${fan}/followed_lists`, { list_id: theirs }, s.bearer)).status).toBe(403);
  });
});

describe('pins', () => {
  it('pin, pin again, pinned lists (newest pin first), unpin twice, events', async () => {
    const [a, b] = [await w.create(s.userToken, { name: 'Pin A' }), await w.create(s.userToken, { name: 'Pin B', private: true })];
    events.length = 0;
    expect((await post(`/2/users/${ME}/pinned_lists`, { list_id: a })).body).toEqual({ data: { pinned: true } });
    s.clock.advance(1000);
    expect((await post(`/2/users/${ME}/pinned_lists`, { list_id: b })).body).toEqual({ data: { pinned: true } });
    expect((await post(`/2/users/${ME}/pinned_lists`, { list_id: b })).body).toEqual({ data: { pinned: true } });
    const g = await s.get(`/2/users/${ME}/pinned_lists`, { token: s.userToken, query: { 'list.fields': 'private', expansions: 'owner_id', 'user.fields': 'verified' } });
    expect(g.status).toBe(200);
    expect(g.body.data.slice(0, 2)).toEqual([
      { id: b, name: 'Pin B', private: true, owner_id: ME },
      { id: a, name: 'Pin A', private: false, owner_id: ME },
    ]);
    expect(g.body.includes.users).toEqual([{ id: ME, name: 'X Developers', username: 'XDevelopers', verified: true }]);
    expect(g.body.meta.result_count).toBe(g.body.data.length);
    const u = await del(`/2/users/${ME}/pinned_lists/${a}`);
    expect(u.body).toEqual({ data: { pinned: false } });
    expect((await del(`/2/users/${ME}/pinned_lists/${a}`)).body).toEqual({ data: { pinned: false } });
    expect(ids(await s.get(`/2/users/${ME}/pinned_lists`, { token: s.userToken }))).not.toContain(a);
    await del(`/2/users/${ME}/pinned_lists/${b}`);
    expect(events.map((e) => e.type)).toEqual(['list.pinned', 'list.pinned', 'list.unpinned', 'list.unpinned']);
  });

  it('X limit: at most 5 pinned lists (403), concurrent pins included', async () => {
    const [user] = await w.freshUsers(1);
    const token = await s.userTokenFor(user!);
    const lists = [];
    for (let i = 0; i < 7; i++) lists.push(await w.create(token, { name: `p${i}` }));
    const results = await Promise.all(lists.map((id) => post(`/2/users/${user}/pinned_lists`, { list_id: id }, token)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    for (const r of results.filter((x) => x.status !== 200)) expect(r.body).toEqual(forbidden('You cannot pin more than 5 Lists.'));
    expect(await w.count(`list_pins where user_id = ${user}`)).toBe(5);
    const pinned = ids(await s.get(`/2/users/${user}/pinned_lists`, { token }));
    expect(pinned).toHaveLength(5);
    // Pinning one that is pinned still answers pinned at the cap.
    expect((await post(`/2/users/${user}/pinned_lists`, { list_id: pinned[0] }, token)).body).toEqual({ data: { pinned: true } });
  });

  it('refusals: another user’s pins (403), app-only (403), unknown list, bad input', async () => {
    const [other] = await w.freshUsers(1);
    const id = await w.create(s.userToken, { name: 'Pins' });
    expect((await post(`/2/users/${other}/pinned_lists`, { list_id: id })).status).toBe(403);
    expect((await del(`/2/users/${other}/pinned_lists/${id}`)).status).toBe(403);
    expect((await s.get(`/2/users/${other}/pinned_lists`, { token: s.userToken })).status).toBe(403);
    const app = await s.get(`/2/users/${ME}/pinned_lists`);
    expect(app.status).toBe(403);
    expect(app.body.title).toBe('Unsupported Authentication');
    expect((await post(`/2/users/${ME}/pinned_lists`, { list_id: NOBODY_LIST })).body).toEqual({ errors: [listNotFound(NOBODY_LIST, 'list_id')] });
    invalid(await post(`/2/users/${ME}/pinned_lists`, {}), 'list_id');
    invalid(await post(`/2/users/${ME}/pinned_lists`, { list_id: 'x' }), 'list_id');
    invalid(await del(`/2/users/${ME}/pinned_lists/x`), 'list_id');
    invalid(await s.get(`/2/users/${ME}/pinned_lists`, { token: s.userToken, query: { 'list.fields': 'bogus' } }), 'list.fields');
  });
});

describe('owned lists and the visibility of public lists', () => {
  it('owned lists newest first, paged by id; someone else’s private lists are not there', async () => {
    const [owner] = await w.freshUsers(1);
    const token = await s.userTokenFor(owner!);
    const made: string[] = [];
    for (let i = 0; i < 4; i++) made.push(await w.create(token, { name: `o${i}`, private: i === 2 }));
    const own = await s.get(`/2/users/${owner}/owned_lists`, { token, query: { max_results: 100, 'list.fields': 'private' } });
    expect(ids(own)).toEqual([...made].reverse());
    const seen = await s.get(`/2/users/${owner}/owned_lists`, { query: { max_results: 2 } });
    expect(ids(seen)).toEqual([made[3], made[1]]);
    const next = await s.get(`/2/users/${owner}/owned_lists`, { query: { max_results: 2, pagination_token: seen.body.meta.next_token } });
    expect(ids(next)).toEqual([made[0]]);
    expect(next.body.meta.previous_token).toBeDefined();
    expect((await s.get(`/2/users/${owner}/owned_lists`, { query: { max_results: 2, pagination_token: next.body.meta.previous_token } })).body.data).toEqual(seen.body.data);
    invalid(await s.get(`/2/users/${owner}/owned_lists`, { query: { max_results: 101 } }), 'max_results');
    invalid(await s.get(`/2/users/${owner}/owned_lists`, { query: { pagination_token: 'zz' } }), 'pagination_token');
    expect((await s.get('/2/users/1/owned_lists')).body.errors[0]).toMatchObject({ title: 'Not Found Error', resource_type: 'user', parameter: 'id' });
    const suspended = await w.suspendedUser();
    expect((await s.get(`/2/users/${suspended}/owned_lists`)).body.errors[0]).toMatchObject({ title: 'Forbidden' });
    expect((await s.get(`/2/users/${suspended}/followed_lists`)).body.errors[0]).toMatchObject({ title: 'Forbidden' });
    expect((await s.get(`/2/users/${suspended}/list_memberships`)).body.errors[0]).toMatchObject({ title: 'Forbidden' });
  });

  it('a protected owner’s lists show to followers only; a block either way hides them; a suspended owner’s are gone', async () => {
    const prot = await w.protectedUser();
    const ptoken = await s.userTokenFor(prot);
    const id = await w.create(ptoken, { name: 'Behind a lock' });
    const authz = { title: 'Authorization Error', resource_type: 'list', parameter: 'id', resource_id: id, detail: `Sorry, you are not authorized to see the List with id: [${id}].` };
    for (const path of [`/2/lists/${id}`, `/2/lists/${id}/members`, `/2/lists/${id}/followers`, `/2/lists/${id}/tweets`]) {
      const r = await s.get(path, { token: s.userToken });
      expect(r.body.errors[0], path).toMatchObject(authz);
      expect(r.body.data, path).toBeUndefined();
    }
    expect((await s.get(`/2/users/${prot}/owned_lists`, { token: s.userToken })).body.errors[0]).toMatchObject({ title: 'Authorization Error', resource_type: 'user' });
    const unfollow = await w.relate('follows', ME, prot);
    expect((await s.get(`/2/lists/${id}`, { token: s.userToken })).body).toEqual({ data: { id, name: 'Behind a lock' } });
    expect(ids(await s.get(`/2/users/${prot}/owned_lists`, { token: s.userToken }))).toEqual([id]);
    await unfollow();
    expect((await s.get(`/2/lists/${id}`, { token: ptoken })).body.data.id).toBe(id);

    const [owner, viewer] = await w.freshUsers(2);
    const open = await w.create(await s.userTokenFor(owner!), { name: 'Open' });
    const vtoken = await s.userTokenFor(viewer!);
    for (const [a, b] of [
      [owner!, viewer!],
      [viewer!, owner!],
    ]) {
      const unblock = await w.relate('blocks', a, b);
      expect((await s.get(`/2/lists/${open}`, { token: vtoken })).body.errors[0]).toMatchObject({ title: 'Authorization Error' });
      await unblock();
    }
    expect((await s.get(`/2/lists/${open}`, { token: vtoken })).body.data.id).toBe(open);

    // A suspended account's lists are gone (the world's suspended users own none: one is stored for them).
    const gone = '1000000000001000';
    await s.handle.ctx.repos.lists.insertMany([{ id: gone, ownerId: await w.suspendedUser(), name: 'Gone', description: '', private: false, memberCount: 0, followerCount: 0, createdAt: TEST_NOW - 1000 }]);
    expect((await s.get(`/2/lists/${gone}`)).body).toEqual({ errors: [listNotFound(gone)] });
    expect((await s.get(`/2/lists/${gone}/members`)).body).toEqual({ errors: [listNotFound(gone)] });
  });
});

describe('rate limits and metering, from each declaration', () => {
  let r: TestServer;
  let rw: ReturnType<typeof listWorld>;
  beforeAll(async () => {
    r = await startTestServer();
    rw = listWorld(r);
  });
  afterAll(async () => {
    await r?.close();
  });
  const cost = (x: { headers: Headers }) => Number(x.headers.get('x-roost-cost-usd'));
  const call = (method: string, path: string, token: string, body?: unknown) => r.request(method, path, { token, body, headers: { 'x-roost-cost': '1' } });

  it('answers each list operation with X’s 15-minute limit for its auth type, and refuses past it', async () => {
    const [other] = await rw.freshUsers(1);
    const id = await rw.create(r.userToken, { name: 'Limits' });
    const theirs = await rw.create(await r.userTokenFor(other!), { name: 'Theirs' });
    const U = r.userToken;
    const A = r.bearer;
    const cases: [string, string, string, unknown, number][] = [
      ['POST', '/2/lists', U, { name: 'another' }, 300],
      ['PUT', `/2/lists/${id}`, U, { name: 'renamed' }, 300],
      ['GET', `/2/lists/${id}`, A, undefined, 75],
      ['GET', `/2/lists/${id}`, U, undefined, 75],
      ['GET', `/2/lists/${id}/members`, A, undefined, 900],
      ['GET', `/2/lists/${id}/followers`, A, undefined, 180],
      ['GET', `/2/lists/${id}/tweets`, A, undefined, 900],
      ['POST', `/2/lists/${id}/members`, U, { user_id: other }, 300],
      ['DELETE', `/2/lists/${id}/members/${other}`, U, undefined, 300],
      ['GET', `/2/users/${ME}/owned_lists`, A, undefined, 15],
      ['GET', `/2/users/${ME}/owned_lists`, U, undefined, 15],
      ['GET', `/2/users/${ME}/followed_lists`, A, undefined, 15],
      ['GET', `/2/users/${ME}/list_memberships`, A, undefined, 75],
      ['GET', `/2/users/${ME}/pinned_lists`, U, undefined, 15],
      ['POST', `/2/users/${ME}/pinned_lists`, U, { list_id: id }, 50],
      ['DELETE', `/2/users/${ME}/pinned_lists/${id}`, U, undefined, 50],
      ['POST', `/2/users/${ME}/followed_lists`, U, { list_id: theirs }, 50],
      ['DELETE', `/2/users/${ME}/followed_lists/${theirs}`, U, undefined, 50],
      ['DELETE', `/2/lists/${id}`, U, undefined, 300],
    ];
    for (const [method, path, token, body, limit] of cases) {
      const res = await r.request(method, path, { token, body });
      expect(res.status, `${method} ${path}`).toBeLessThan(300);
      expect(res.headers.get('x-rate-limit-limit'), `${method} ${path}`).toBe(String(limit));
    }
    // owned_lists: 15 per app; two already taken above.
    let last;
    for (let i = 0; i < 15; i++) last = await r.get(`/2/users/${other}/owned_lists`);
    expect(last!.status).toBe(429);
    expect(last!.body).toEqual({ title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 });
  });

  it('meters each operation by its class: list create $0.010, list manage $0.005, list reads per list, users per user, posts per post, owned reads $0.001', async () => {
    const U = r.userToken;
    const [a, b] = await rw.freshUsers(2);
    const create = await call('POST', '/2/lists', U, { name: 'Billed' });
    expect(cost(create)).toBeCloseTo(0.01, 6);
    const id = create.body.data.id;
    expect(cost(await call('PUT', `/2/lists/${id}`, U, { description: 'd' }))).toBeCloseTo(0.005, 6);
    expect(cost(await call('POST', `/2/lists/${id}/members`, U, { user_id: a }))).toBeCloseTo(0.005, 6);
    expect(cost(await call('POST', `/2/lists/${id}/members`, U, { user_id: b }))).toBeCloseTo(0.005, 6);
    expect(cost(await call('POST', `/2/users/${ME}/pinned_lists`, U, { list_id: id }))).toBeCloseTo(0.005, 6);
    expect(cost(await call('DELETE', `/2/users/${ME}/pinned_lists/${id}`, U))).toBeCloseTo(0.005, 6);
    const atoken = await r.userTokenFor(a!);
    expect(cost(await call('POST', `/2/users/${a}/followed_lists`, atoken, { list_id: id }))).toBeCloseTo(0.005, 6);
    expect(cost(await call('DELETE', `/2/users/${a}/followed_lists/${id}`, atoken))).toBeCloseTo(0.005, 6);
    // Reads: per resource in `data`, deduplicated per UTC day.
    expect(cost(await call('GET', `/2/lists/${id}`, r.bearer))).toBeCloseTo(0.005, 6);
    expect(cost(await call('GET', `/2/lists/${id}`, r.bearer))).toBe(0);
    expect(cost(await call('GET', `/2/lists/${id}/members`, r.bearer))).toBeCloseTo(0.02, 6);
    const tweets = await call('GET', `/2/lists/${id}/tweets`, r.bearer, undefined);
    expect(cost(tweets)).toBeCloseTo(0.005 * tweets.body.data.length, 6);
    // A new UTC day: nothing read before is deduplicated any more.
    r.clock.set(r.clock.now() - (r.clock.now() % 86_400_000) + 86_400_000);
    const mine = await call('GET', `/2/users/${ME}/owned_lists`, U);
    expect(mine.body.data.length).toBeGreaterThanOrEqual(3);
    expect(cost(mine)).toBeCloseTo(0.001 * mine.body.data.length, 6);
    // Someone else's lists are no owned read; lists charged a moment ago are not charged again.
    const memberships = await call('GET', `/2/users/${a}/list_memberships`, r.bearer, undefined);
    const fresh = (await r.get(`/2/users/${a}/list_memberships`, { query: { 'list.fields': 'owner_id' } })).body.data.filter((l: any) => l.owner_id !== ME);
    expect(memberships.body.data.length).toBeGreaterThan(0);
    expect(cost(memberships)).toBeCloseTo(0.005 * fresh.length, 6);
    expect(cost(await call('DELETE', `/2/lists/${id}/members/${b}`, U))).toBeCloseTo(0.005, 6);
    expect(cost(await call('DELETE', `/2/lists/${id}`, U))).toBeCloseTo(0.005, 6);
    // Answers with only errors cost nothing.
    expect(cost(await call('GET', `/2/lists/${id}`, r.bearer))).toBe(0);
    expect(cost(await call('DELETE', `/2/lists/${id}`, U))).toBe(0);
  });
});
