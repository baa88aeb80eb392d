/**
 * A private list exists only for its owner. To a stranger, to the member it lists and to an app, every surface
 * answers a private list exactly as it answers a list that does not exist — lookups, its members, followers and
 * timeline, the writes, the lists hanging off its owner and its member (page tokens included), the owner_id
 * expansion, search and counts (`list:`, also negated), the filtered stream, and the member's listed_count. Its
 * owner sees all of it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@roost/dev-env';
import { CURSORS, decodeToken } from '../../src/pipeline/pagination.js';
import { listWorld } from './list-world.js';

let s: TestServer;
let w: ReturnType<typeof listWorld>;
let owner: string;
let member: string;
let stranger: string;
let ownerToken: string;
let memberToken: string;
let strangerToken: string;
let priv: string;
/** A list id no list has: what every outsider's answer about `priv` must look like. */
const NONE = '1999999999999999999';

beforeAll(async () => {
  s = await startTestServer({ limits: { '*': { app: 100_000, user: 100_000 } } });
  w = listWorld(s);
  [owner, stranger] = (await w.freshUsers(2)) as [string, string];
  [member] = (await w.freshUsers(1, { posting: true })) as [string];
  [ownerToken, memberToken, strangerToken] = await Promise.all([owner, member, stranger].map((u) => s.userTokenFor(u)));
  priv = await w.create(ownerToken, { name: 'Secret', description: 'nobody else knows', private: true });
});
afterAll(async () => {
  await s?.close();
});

/** An answer about `priv` with its id written as NONE: equal to the answer about NONE when nothing leaks. */
const asUnknown = (r: { status: number; body: unknown }) => ({ status: r.status, body: JSON.parse(JSON.stringify(r.body ?? null).replaceAll(priv, NONE)) });
const plain = (r: { status: number; body: unknown }) => ({ status: r.status, body: r.body ?? null });
const listed = async () => (await s.get(`/2/users/${member}`, { query: { 'user.fields': 'public_metrics' } })).body.data.public_metrics.listed_count as number;

describe('a private list and its members', () => {
  it('stay out of the member’s listed_count, as seen through the API', async () => {
    const before = await listed();
    const add = await s.request('POST', `/2/lists/${priv}/members`, { token: ownerToken, body: { user_id: member } });
    expect(add.body).toEqual({ data: { is_member: true } });
    expect(await listed()).toBe(before);
  });

  it('answer every read of a stranger, of the member and of an app as for a list that does not exist', async () => {
    const reads: [string, Record<string, string>][] = [
      ['', { 'list.fields': 'created_at,description,follower_count,member_count,owner_id,private', expansions: 'owner_id', 'user.fields': 'username' }],
      ['/members', { 'user.fields': 'username' }],
      ['/followers', {}],
      ['/tweets', { expansions: 'author_id' }],
    ];
    for (const token of [strangerToken, memberToken, s.bearer]) {
      for (const [tail, query] of reads) {
        const got = await s.get(`/2/lists/${priv}${tail}`, { token, query });
        const unknown = await s.get(`/2/lists/${NONE}${tail}`, { token, query });
        expect(asUnknown(got), tail).toEqual(plain(unknown));
        expect(got.body.errors[0]).toMatchObject({ title: 'Not Found Error', resource_type: 'list' });
      }
    }
  });

  it('answer every write of a stranger as for a list that does not exist, and change nothing', async () => {
    const writes: [string, (id: string) => string, unknown][] = [
      ['PUT', (id) => `/2/lists/${id}`, { name: 'Taken over', private: false }],
      ['POST', (id) => `/2/lists/${id}/members`, { user_id: stranger }],
      ['DELETE', (id) => `/2/lists/${id}/members/${member}`, undefined],
      ['POST', () => `/2/users/${stranger}/followed_lists`, 'list_id'],
      ['POST', () => `/2/users/${stranger}/pinned_lists`, 'list_id'],
      ['DELETE', (id) => `/2/users/${stranger}/followed_lists/${id}`, undefined],
      ['DELETE', (id) => `/2/users/${stranger}/pinned_lists/${id}`, undefined],
      ['DELETE', (id) => `/2/lists/${id}`, undefined],
    ];
    for (const [method, path, body] of writes) {
      const bodyFor = (id: string) => (body === 'list_id' ? { list_id: id } : body);
      const got = await s.request(method, path(priv), { token: strangerToken, body: bodyFor(priv) });
      const unknown = await s.request(method, path(NONE), { token: strangerToken, body: bodyFor(NONE) });
      expect(asUnknown(got), `${method} ${path(':id')}`).toEqual(plain(unknown));
    }
    const mine = await s.get(`/2/lists/${priv}`, { token: ownerToken, query: { 'list.fields': 'private,member_count,follower_count' } });
    expect(mine.body.data).toEqual({ id: priv, name: 'Secret', private: true, member_count: 1, follower_count: 0 });
    expect(await w.count(`list_followers where list_id = ${priv}`)).toBe(0);
    expect(await w.count(`list_pins where list_id = ${priv}`)).toBe(0);
  });

  it('are in no list of the owner or of the member, no expansion and no page token, except for the owner', async () => {
    // A public list of the owner's too, so the pages around the private one have neighbours.
    const pub = await w.create(ownerToken, { name: 'Open' });
    await s.request('POST', `/2/lists/${pub}/members`, { token: ownerToken, body: { user_id: member } });
    const walkAll = async (path: string, token: string, kind: 'listMemberships' | 'ownedLists', outsider = true) => {
      const seen: string[] = [];
      const owners = new Set<string>();
      let next: string | undefined;
      for (let i = 0; i < 50; i++) {
        const r = await s.get(path, { token, query: { max_results: 1, expansions: 'owner_id', 'list.fields': 'owner_id', ...(next ? { pagination_token: next } : {}) } });
        expect(r.status).toBe(200);
        for (const l of r.body.data ?? []) seen.push(l.id);
        for (const u of r.body.includes?.users ?? []) owners.add(u.id);
        for (const t of [r.body.meta?.next_token, r.body.meta?.previous_token]) {
          if (!t || !outsider) continue;
          const key = decodeToken(CURSORS[kind] as any, t).key as any;
          expect(typeof key === 'string' ? key : key.id, `a ${kind} token`).not.toBe(priv);
        }
        next = r.body.meta?.next_token;
        if (!next) break;
      }
      return { seen, owners };
    };
    for (const token of [strangerToken, memberToken, s.bearer]) {
      const memberships = await walkAll(`/2/users/${member}/list_memberships`, token, 'listMemberships');
      expect(memberships.seen).toContain(pub);
      expect(memberships.seen).not.toContain(priv);
      const owned = await walkAll(`/2/users/${owner}/owned_lists`, token, 'ownedLists');
      expect(owned.seen).toEqual([pub]);
    }
    // Only the private list has the member: its owner is expanded by nobody but the owner.
    await s.request('DELETE', `/2/lists/${pub}/members/${member}`, { token: ownerToken });
    for (const token of [strangerToken, memberToken, s.bearer]) {
      const r = await s.get(`/2/users/${member}/list_memberships`, { token, query: { expansions: 'owner_id' } });
      expect(JSON.stringify(r.body)).not.toContain(priv);
      expect((r.body.includes?.users ?? []).map((u: any) => u.id)).not.toContain(owner);
    }

    const asOwner = await walkAll(`/2/users/${member}/list_memberships`, ownerToken, 'listMemberships', false);
    expect(asOwner.seen).toContain(priv);
    expect(asOwner.owners).toContain(owner);
    expect((await walkAll(`/2/users/${owner}/owned_lists`, ownerToken, 'ownedLists', false)).seen).toEqual([pub, priv]);
    const members = await s.get(`/2/lists/${priv}/members`, { token: ownerToken });
    expect(members.body.data.map((u: any) => u.id)).toEqual([member]);
    const tweets = await s.get(`/2/lists/${priv}/tweets`, { token: ownerToken, query: { 'tweet.fields': 'author_id' } });
    expect(tweets.body.data.length).toBeGreaterThan(0);
    expect(tweets.body.data.every((p: any) => p.author_id === member)).toBe(true);
    expect(await s.request('POST', `/2/users/${owner}/pinned_lists`, { token: ownerToken, body: { list_id: priv } })).toMatchObject({ body: { data: { pinned: true } } });
    expect((await s.get(`/2/users/${owner}/pinned_lists`, { token: ownerToken })).body.data.map((l: any) => l.id)).toContain(priv);
  });

  it('match nothing in search and counts — negated too — for anyone but the owner, who finds the member’s posts', async () => {
    const searchAll = (q: string) => s.get('/2/tweets/search/all', { query: { query: q, start_time: '2006-03-21T00:00:00Z', max_results: 500 } });
    const searchRecent = (q: string, token: string) => s.get('/2/tweets/search/recent', { token, query: { query: q, max_results: 100 } });
    const ids = (r: { body: any }): string[] => (r.body.data ?? []).map((p: any) => p.id);
    const fromMember = ids(await searchRecent(`from:${member}`, s.bearer));
    expect(fromMember.length).toBeGreaterThan(0);
    for (const q of [`list:${priv}`, `list:${priv} from:${member}`, `from:${member} -list:${priv}`]) {
      // Full-archive search and counts are app-only.
      expect(asUnknown(await searchAll(q)), q).toEqual(plain(await searchAll(q.replaceAll(priv, NONE))));
      for (const token of [strangerToken, memberToken, s.bearer]) {
        expect(asUnknown(await searchRecent(q, token)), q).toEqual(plain(await searchRecent(q.replaceAll(priv, NONE), token)));
      }
    }
    expect(ids(await searchRecent(`from:${member} -list:${priv}`, strangerToken))).toEqual(fromMember);
    const counts = (q: string) => s.get('/2/tweets/counts/all', { query: { query: q, start_time: '2006-03-21T00:00:00Z' } });
    expect(asUnknown(await counts(`list:${priv}`))).toEqual(plain(await counts(`list:${NONE}`)));
    expect((await counts(`list:${priv}`)).body.meta.total_tweet_count).toBe(0);

    // The owner's search answers from the members.
    expect(ids(await searchRecent(`list:${priv}`, ownerToken))).toEqual(fromMember);
    expect((await searchRecent(`from:${member} -list:${priv}`, ownerToken)).body).toEqual({ meta: { result_count: 0 } });
  });

  it('cannot be named by a filtered-stream rule: refused exactly like an unknown list', async () => {
    const add = (id: string) => s.request('POST', '/2/tweets/search/stream/rules', { body: { add: [{ value: `list:${id} hello` }] } });
    const got = await add(priv);
    expect(got.body.meta.summary).toMatchObject({ created: 0, invalid: 1 });
    const strip = (b: any) => ({ ...b, meta: { ...b.meta, sent: 'x' } });
    expect(strip(asUnknown(got).body)).toEqual(strip((await add(NONE)).body));
  });
});
