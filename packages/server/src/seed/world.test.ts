import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable, startPostgres } from '@roost/dev-env';
import { openStore, type Store } from '../db/connect.js';
import { createRepos } from '../data/index.js';
import { postFromDb } from '../data/posts.js';
import { userFromDb } from '../data/users.js';
import type { PostRow, UserRow } from '../data/rows.js';
import { SNOWFLAKE_EPOCH, snowflakeTime } from '../util/snowflake.js';
import { XDEVELOPERS_ID, XDEVELOPERS_PINNED_POST_ID } from './anchor.js';
import { twitterText } from './entities.js';
import { PLACES } from './places.js';
import { Random, WeightedSampler } from './random.js';
import { seedWorld, type WorldSummary } from './world.js';

const NOW = Date.UTC(2026, 10, 1);
const SIZE = { users: 200, posts: 2000 };

let dir: string;
const stores: Store[] = [];
async function seeded(name: string, seed: number): Promise<{ store: Store; summary: WorldSummary }> {
  const store = await openStore(join(dir, `${name}.db`));
  stores.push(store);
  const summary = await seedWorld(store, { seed, ...SIZE, now: NOW });
  return { store, summary };
}

/** A digest of every seeded table, read back in primary-key order. */
async function digest(store: Store): Promise<string> {
  const h = createHash('sha256');
  const db = store.db;
  const tables = [
    await db.selectFrom('users').selectAll().orderBy('id').execute(),
    await db.selectFrom('posts').selectAll().orderBy('id').execute(),
    await db.selectFrom('follows').selectAll().orderBy('follower_id').orderBy('followee_id').execute(),
    await db.selectFrom('likes').selectAll().orderBy('user_id').orderBy('post_id').execute(),
    await db.selectFrom('media').selectAll().orderBy('media_key').execute(),
    await db.selectFrom('polls').selectAll().orderBy('id').execute(),
    await db.selectFrom('places').selectAll().orderBy('id').execute(),
    await db.selectFrom('mentions').selectAll().orderBy('user_id').orderBy('post_id').execute(),
    await db.selectFrom('blocks').selectAll().orderBy('blocker_id').orderBy('blocked_id').execute(),
    await db.selectFrom('mutes').selectAll().orderBy('muter_id').orderBy('muted_id').execute(),
    await db.selectFrom('lists').selectAll().orderBy('id').execute(),
    await db.selectFrom('list_members').selectAll().orderBy('list_id').orderBy('member_id').execute(),
    await db.selectFrom('list_followers').selectAll().orderBy('follower_id').orderBy('list_id').execute(),
    await db.selectFrom('list_pins').selectAll().orderBy('user_id').orderBy('list_id').execute(),
  ];
  for (const rows of tables) h.update(JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
  return h.digest('hex');
}

const codePoints = (s: string, start: number, end: number) => Array.from(s).slice(start, end).join('');

describe('seedWorld', () => {
  let a: { store: Store; summary: WorldSummary };
  let users: UserRow[];
  let posts: PostRow[];
  let follows: { follower: string; followee: string; at: number }[];
  let likes: { user: string; post: string; at: number }[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'roost-seed-test-'));
    a = await seeded('a', 42);
    const db = a.store.db;
    users = (await db.selectFrom('users').selectAll().execute()).map(userFromDb);
    posts = (await db.selectFrom('posts').selectAll().orderBy('id').execute()).map(postFromDb);
    follows = (await db.selectFrom('follows').selectAll().execute()).map((r) => ({ follower: String(r.follower_id), followee: String(r.followee_id), at: Number(r.created_at) }));
    likes = (await db.selectFrom('likes').selectAll().execute()).map((r) => ({ user: String(r.user_id), post: String(r.post_id), at: Number(r.created_at) }));
  });

  afterAll(async () => {
    for (const s of stores) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives byte-identical data for the same seed and different data for another', async () => {
    const again = await seeded('b', 42);
    const other = await seeded('c', 43);
    const [da, db, dc] = await Promise.all([digest(a.store), digest(again.store), digest(other.store)]);
    expect(db).toBe(da);
    expect(dc).not.toBe(da);
    const { elapsedMs: _x, ...sa } = a.summary;
    const { elapsedMs: _y, ...sb } = again.summary;
    expect(sb).toEqual(sa);
  });

  it('composes the same world in a worker thread (big worlds do) as on the seeding thread', async () => {
    const inWorker = await openStore(join(dir, 'worker.db'));
    stores.push(inWorker);
    const summary = await seedWorld(inWorker, { seed: 42, ...SIZE, now: NOW, composeInWorker: true, batchSize: 150 });
    expect(await digest(inWorker)).toBe(await digest(a.store));
    const docs = (store: Store) => store.read!<{ id: string; doc: string }>('select cast(rowid as text) as id, doc from post_search order by rowid', []);
    const ours = await docs(inWorker);
    expect(ours).toHaveLength(SIZE.posts);
    expect(ours).toEqual(await docs(a.store));
    const { elapsedMs: _x, ...sa } = a.summary;
    const { elapsedMs: _y, ...sw } = summary;
    expect(sw).toEqual(sa);
  });

  it('writes the requested sizes and reports them', () => {
    const s = a.summary;
    expect(users).toHaveLength(SIZE.users);
    expect(posts).toHaveLength(SIZE.posts);
    expect(s.users).toBe(SIZE.users);
    expect(s.posts).toBe(SIZE.posts);
    expect(s.originals + s.replies + s.quotes + s.reposts).toBe(SIZE.posts);
    expect(s.follows).toBe(follows.length);
    expect(s.likes).toBe(likes.length);
    for (const k of ['replies', 'quotes', 'reposts', 'media', 'polls', 'postsWithGeo', 'protectedUsers', 'verifiedUsers'] as const) {
      expect(s[k], k).toBeGreaterThan(0);
    }
    expect(s.suspendedUsers).toBeGreaterThanOrEqual(2);
  });

  it('indexes every mention of an existing account, and seeds blocks and mutes', async () => {
    const s = a.summary;
    const db = a.store.db;
    const mentions = (await db.selectFrom('mentions').selectAll().execute()).map((m) => `${m.user_id}:${m.post_id}`);
    expect(s.mentions).toBe(mentions.length);
    expect(s.mentions).toBeGreaterThan(0);
    const expected = new Set<string>();
    for (const p of posts) for (const m of p.entities?.mentions ?? []) if (m.id) expected.add(`${m.id}:${p.id}`);
    expect(new Set(mentions)).toEqual(expected);
    const blocks = await db.selectFrom('blocks').selectAll().execute();
    const mutes = await db.selectFrom('mutes').selectAll().execute();
    expect(s.blocks).toBe(blocks.length);
    expect(s.mutes).toBe(mutes.length);
    expect(s.blocks).toBeGreaterThan(0);
    expect(s.mutes).toBeGreaterThan(0);
    for (const b of blocks) expect([String(b.blocker_id), String(b.blocked_id)]).not.toContain(XDEVELOPERS_ID);
  });

  it('refuses a store that already holds users', async () => {
    await expect(seedWorld(a.store, { seed: 42, ...SIZE, now: NOW })).rejects.toThrow(/already/);
  });

  it('holds @XDevelopers exactly as specified', async () => {
    const x = (await createRepos(a.store).users.byUsernames(['xdevelopers'])).get('xdevelopers')!;
    expect(x).toMatchObject({
      id: '2244994945',
      username: 'XDevelopers',
      name: 'X Developers',
      createdAt: Date.parse('2013-12-14T04:35:55.000Z'),
      description: 'The voice of the X Developer Platform',
      location: '127.0.0.1',
      url: 'https://t.co/3ZX3TNiZCY',
      protected: false,
      verified: true,
      verifiedType: 'business',
      suspended: false,
      pinnedPostId: '1460323737035677698',
    });
    expect(x.entities?.url?.urls[0]).toMatchObject({ start: 0, end: 23, url: 'https://t.co/3ZX3TNiZCY', expanded_url: 'https://developer.x.com' });
    expect(x.profileImageUrl).toMatch(/^https:\/\/pbs\.twimg\.com\/profile_images\/\d+\/\w+_normal\.jpg$/);
    expect(x.followersCount).toBe(Math.max(...users.map((u) => u.followersCount)));
    expect(x.followersCount).toBeGreaterThan(SIZE.users / 4);
  });

  it('holds the pinned post 1460323737035677698 with its entities', async () => {
    const p = (await createRepos(a.store).posts.byIds([XDEVELOPERS_PINNED_POST_ID])).get(XDEVELOPERS_PINNED_POST_ID)!;
    expect(p.authorId).toBe(XDEVELOPERS_ID);
    expect(p.createdAt).toBe(Number((1460323737035677698n >> 22n) + SNOWFLAKE_EPOCH));
    expect(p.text).toMatch(/^Introducing a new era for the X Developer Platform! 📣/);
    expect(p.conversationId).toBe(p.id);
    expect(p.lang).toBe('en');
    const url = p.entities?.urls?.[0];
    expect(url?.url).toMatch(/^https:\/\/t\.co\/[A-Za-z0-9]{10}$/);
    expect(url?.expanded_url).toMatch(/^https:\/\/developer\.x\.com\//);
    expect(codePoints(p.text, url!.start, url!.end)).toBe(url!.url);
    const tag = p.entities?.hashtags?.[0];
    expect(tag).toBeDefined();
    expect(codePoints(p.text, tag!.start, tag!.end)).toBe(`#${tag!.tag}`);
    expect(p.likeCount).toBeGreaterThan(0);
  });

  it('keeps users valid: unique usernames, snowflake or legacy ids, profile images', () => {
    const lower = new Set(users.map((u) => u.username.toLowerCase()));
    expect(lower.size).toBe(users.length);
    for (const u of users) {
      expect(u.id).toMatch(/^[0-9]{1,19}$/);
      expect(u.username).toMatch(/^[A-Za-z0-9_]{1,15}$/);
      expect(u.profileImageUrl).toMatch(/^https:\/\/pbs\.twimg\.com\/profile_images\/\d+\/[A-Za-z0-9]+_normal\.jpg$/);
      expect(u.createdAt).toBeLessThanOrEqual(NOW);
      if (BigInt(u.id) > 1n << 32n) expect(snowflakeTime(u.id)).toBe(u.createdAt);
      expect(['none', 'blue', 'business', 'government']).toContain(u.verifiedType);
      expect(u.verified).toBe(u.verifiedType !== 'none');
      for (const e of u.entities?.description?.urls ?? []) expect(codePoints(u.description, e.start, e.end)).toBe(e.url);
      for (const e of u.entities?.description?.hashtags ?? []) expect(codePoints(u.description, e.start, e.end)).toBe(`#${e.tag}`);
    }
  });

  it('keeps every counter equal to its rows', () => {
    const count = <T>(items: T[], key: (x: T) => string | null) => {
      const m = new Map<string, number>();
      for (const x of items) {
        const k = key(x);
        if (k !== null) m.set(k, (m.get(k) ?? 0) + 1);
      }
      return m;
    };
    const followers = count(follows, (f) => f.followee);
    const following = count(follows, (f) => f.follower);
    const authored = count(posts, (p) => p.authorId);
    const likedBy = count(likes, (l) => l.user);
    const likesOf = count(likes, (l) => l.post);
    const repostsOf = count(posts, (p) => p.repostedPostId);
    const repliesTo = count(posts, (p) => p.inReplyToPostId);
    const quotesOf = count(posts, (p) => p.quotedPostId);
    for (const u of users) {
      expect(u.followersCount, `followers of ${u.username}`).toBe(followers.get(u.id) ?? 0);
      expect(u.followingCount).toBe(following.get(u.id) ?? 0);
      expect(u.tweetCount).toBe(authored.get(u.id) ?? 0);
      expect(u.likeCount).toBe(likedBy.get(u.id) ?? 0);
    }
    for (const p of posts) {
      expect(p.likeCount, `likes of ${p.id}`).toBe(likesOf.get(p.id) ?? 0);
      expect(p.retweetCount).toBe(repostsOf.get(p.id) ?? 0);
      expect(p.replyCount).toBe(repliesTo.get(p.id) ?? 0);
      expect(p.quoteCount).toBe(quotesOf.get(p.id) ?? 0);
      expect(p.bookmarkCount).toBeGreaterThanOrEqual(0);
      expect(p.impressionCount).toBeGreaterThanOrEqual(0);
    }
  });

  it('seeds lists as the write path would keep them: exact counters, listed_count from public lists, allowed members', async () => {
    const db = a.store.db;
    const lists = await db.selectFrom('lists').selectAll().execute();
    const members = await db.selectFrom('list_members').selectAll().execute();
    const followers = await db.selectFrom('list_followers').selectAll().execute();
    const pins = await db.selectFrom('list_pins').selectAll().execute();
    const blocks = new Set((await db.selectFrom('blocks').selectAll().execute()).flatMap((b) => [`${b.blocker_id}:${b.blocked_id}`, `${b.blocked_id}:${b.blocker_id}`]));
    const byId = new Map(users.map((u) => [u.id, u]));
    expect(lists.some((l) => Number(l.private) === 1)).toBe(true);
    expect(lists.filter((l) => Number(l.private) === 0).length).toBeGreaterThan(SIZE.users / 50);
    const isPrivate = new Map(lists.map((l) => [String(l.id), Number(l.private) === 1]));
    const owner = new Map(lists.map((l) => [String(l.id), String(l.owner_id)]));
    for (const l of lists) {
      const id = String(l.id);
      expect(Number(l.member_count), `members of ${l.name}`).toBe(members.filter((m) => String(m.list_id) === id).length);
      expect(Number(l.follower_count)).toBe(followers.filter((f) => String(f.list_id) === id).length);
      expect([...l.name].length).toBeLessThanOrEqual(25);
    }
    for (const m of members) {
      const u = byId.get(String(m.member_id))!;
      expect(u.suspended || u.protected).toBe(false);
      expect(blocks.has(`${owner.get(String(m.list_id))}:${u.id}`)).toBe(false);
    }
    for (const f of [...followers, ...pins]) {
      const who = String('follower_id' in f ? f.follower_id : f.user_id);
      if (isPrivate.get(String(f.list_id))) expect(who).toBe(owner.get(String(f.list_id)));
    }
    const pinsPerUser = new Map<string, number>();
    for (const p of pins) pinsPerUser.set(String(p.user_id), (pinsPerUser.get(String(p.user_id)) ?? 0) + 1);
    expect(Math.max(...pinsPerUser.values())).toBeLessThanOrEqual(5);
    const listed = new Map<string, number>();
    for (const m of members) if (!isPrivate.get(String(m.list_id))) listed.set(String(m.member_id), (listed.get(String(m.member_id)) ?? 0) + 1);
    for (const u of users) expect(u.listedCount, `listed_count of ${u.username}`).toBe(listed.get(u.id) ?? 0);
    // @XDevelopers' public list is of accounts that post: its timeline has something to show on first start.
    const api = lists.find((l) => String(l.owner_id) === XDEVELOPERS_ID && l.name === 'API builders')!;
    const apiMembers = new Set(members.filter((m) => String(m.list_id) === String(api.id)).map((m) => String(m.member_id)));
    expect(apiMembers.size).toBeGreaterThanOrEqual(10);
    expect(posts.filter((p) => apiMembers.has(p.authorId)).length).toBeGreaterThan(50);
    expect(lists.some((l) => String(l.owner_id) === XDEVELOPERS_ID && Number(l.private) === 1)).toBe(true);
  });

  it('uses snowflake post ids that increase with created_at', () => {
    const byTime = [...posts].sort((x, y) => x.createdAt - y.createdAt || (BigInt(x.id) < BigInt(y.id) ? -1 : 1));
    for (let i = 0; i < byTime.length; i++) {
      const p = byTime[i]!;
      expect(p.id).toMatch(/^[0-9]{1,19}$/);
      expect(snowflakeTime(p.id)).toBe(p.createdAt);
      expect(p.createdAt).toBeLessThanOrEqual(NOW);
      if (i > 0) expect(BigInt(p.id) > BigInt(byTime[i - 1]!.id)).toBe(true);
    }
    const lastWeek = posts.filter((p) => p.createdAt > NOW - 7 * 86_400_000).length;
    expect(lastWeek / posts.length).toBeGreaterThan(0.1);
  });

  it('points replies, quotes and reposts at existing posts, with X-shaped text', () => {
    const byId = new Map(posts.map((p) => [p.id, p]));
    const userById = new Map(users.map((u) => [u.id, u]));
    let selfReplies = 0;
    for (const p of posts) {
      expect(byId.has(p.conversationId)).toBe(true);
      expect(p.editRootId).toBe(p.id);
      const author = userById.get(p.authorId)!;
      expect(author.createdAt).toBeLessThanOrEqual(p.createdAt);
      if (p.inReplyToPostId) {
        const parent = byId.get(p.inReplyToPostId)!;
        expect(parent).toBeDefined();
        expect(parent.createdAt).toBeLessThanOrEqual(p.createdAt);
        expect(p.inReplyToUserId).toBe(parent.authorId);
        expect(p.conversationId).toBe(parent.conversationId);
        expect(parent.repostedPostId).toBeNull();
        if (parent.authorId !== p.authorId) expect(p.text.startsWith(`@${userById.get(parent.authorId)!.username} `)).toBe(true);
        else selfReplies++;
      } else {
        expect(p.conversationId).toBe(p.id);
        expect(p.inReplyToUserId).toBeNull();
      }
      if (p.quotedPostId) {
        const q = byId.get(p.quotedPostId)!;
        expect(q).toBeDefined();
        expect(q.repostedPostId).toBeNull();
        expect(q.createdAt).toBeLessThanOrEqual(p.createdAt);
      }
      if (p.repostedPostId) {
        const o = byId.get(p.repostedPostId)!;
        expect(o).toBeDefined();
        expect(o.repostedPostId).toBeNull();
        expect(o.authorId).not.toBe(p.authorId);
        expect(userById.get(o.authorId)!.protected).toBe(false);
        expect(p.text).toBe(`RT @${userById.get(o.authorId)!.username}: ${o.text}`);
        expect(p.mediaKeys).toBeNull();
      }
    }
    expect(selfReplies).toBeGreaterThan(0);
    const pairs = posts.filter((p) => p.repostedPostId).map((p) => `${p.authorId}:${p.repostedPostId}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    for (const l of likes) {
      const p = byId.get(l.post)!;
      expect(p).toBeDefined();
      expect(l.at).toBeGreaterThanOrEqual(p.createdAt);
      expect(l.at).toBeLessThanOrEqual(NOW);
    }
  });

  it('stores entities as twitter-text extracts them, with code-point indices and t.co links', () => {
    const ids = new Map(users.map((u) => [u.username.toLowerCase(), u.id]));
    const kinds = new Set<string>();
    for (const p of posts) {
      const e = p.entities ?? {};
      for (const u of e.urls ?? []) {
        kinds.add(u.media_key ? 'media' : 'url');
        expect(u.url).toMatch(/^https:\/\/t\.co\/[A-Za-z0-9]{10}$/);
        expect(codePoints(p.text, u.start, u.end)).toBe(u.url);
        expect(u.expanded_url).toMatch(/^https:\/\//);
        expect(u.display_url.startsWith('http')).toBe(false);
      }
      for (const h of e.hashtags ?? []) {
        kinds.add('hashtag');
        expect(codePoints(p.text, h.start, h.end)).toBe(`#${h.tag}`);
      }
      for (const c of e.cashtags ?? []) {
        kinds.add('cashtag');
        expect(codePoints(p.text, c.start, c.end)).toBe(`$${c.tag}`);
      }
      for (const m of e.mentions ?? []) {
        kinds.add('mention');
        expect(codePoints(p.text, m.start, m.end)).toBe(`@${m.username}`);
        expect(m.id).toBe(ids.get(m.username.toLowerCase()));
      }
      // Every stored link is wrapped: no raw URL survives in the text.
      const raw = twitterText.extractEntitiesWithIndices(p.text).filter((x) => x.url !== undefined);
      expect(raw.every((x) => x.url!.startsWith('https://t.co/'))).toBe(true);
      if (!p.repostedPostId) expect(twitterText.parseTweet(p.text).valid, p.text).toBe(true);
    }
    expect([...kinds].sort()).toEqual(['cashtag', 'hashtag', 'media', 'mention', 'url']);
    expect(new Set(posts.map((p) => p.lang)).size).toBeGreaterThanOrEqual(6);
  });

  it('attaches media, polls and places as X shows them', async () => {
    const repos = createRepos(a.store);
    const withMedia = posts.filter((p) => p.mediaKeys);
    const media = await repos.attachments.mediaByKeys(withMedia.flatMap((p) => p.mediaKeys!));
    const types = new Set<string>();
    for (const p of withMedia) {
      const links = (p.entities?.urls ?? []).filter((u) => u.media_key);
      expect(links.map((u) => u.media_key)).toEqual(p.mediaKeys);
      for (const key of p.mediaKeys!) {
        const m = media.get(key)!;
        types.add(m.type);
        expect(m.ownerId).toBe(p.authorId);
        const prefix = { photo: '3', video: '7', animated_gif: '16' }[m.type];
        expect(key).toBe(`${prefix}_${m.id}`);
        expect(m.width).toBeGreaterThan(0);
        if (m.type === 'photo') expect(m.url).toMatch(/^https:\/\/pbs\.twimg\.com\/media\/.+\.jpg$/);
        else {
          expect(m.previewImageUrl).toMatch(/^https:\/\/pbs\.twimg\.com\//);
          expect(m.variants?.length).toBeGreaterThan(0);
        }
        if (m.type === 'video') expect(m.durationMs).toBeGreaterThan(0);
      }
    }
    expect([...types].sort()).toEqual(['animated_gif', 'photo', 'video']);

    const withPoll = posts.filter((p) => p.pollId);
    const polls = await repos.attachments.pollsByIds(withPoll.map((p) => p.pollId!));
    for (const p of withPoll) {
      const poll = polls.get(p.pollId!)!;
      expect(poll.options.length).toBeGreaterThanOrEqual(2);
      expect(poll.options.length).toBeLessThanOrEqual(4);
      for (const o of poll.options) expect(Array.from(o.label).length).toBeLessThanOrEqual(25);
      expect(poll.endAt).toBe(p.createdAt + poll.durationMinutes * 60_000);
      expect(p.mediaKeys).toBeNull();
    }

    const places = await repos.attachments.placesByIds(PLACES.map((p) => p.id));
    expect(places.size).toBe(PLACES.length);
    expect(places.get('01a9a39529b27f36')?.fullName).toBe('Manhattan, NY');
    for (const p of posts.filter((x) => x.placeId)) {
      const place = places.get(p.placeId!)!;
      expect(place.id).toMatch(/^[0-9a-f]{16}$/);
      if (p.geoCoordinates) {
        const [lon, lat] = p.geoCoordinates;
        expect(lon).toBeGreaterThanOrEqual(place.bbox[0]);
        expect(lat).toBeGreaterThanOrEqual(place.bbox[1]);
        expect(lon).toBeLessThanOrEqual(place.bbox[2]);
        expect(lat).toBeLessThanOrEqual(place.bbox[3]);
      }
    }
  });

  it('draws heavy-tailed follows and likes', () => {
    const f = users.map((u) => u.followersCount).sort((x, y) => x - y);
    const median = f[Math.floor(f.length / 2)]!;
    expect(f[f.length - 1]!).toBeGreaterThan(median * 5);
    const l = posts.filter((p) => !p.repostedPostId).map((p) => p.likeCount);
    expect(l.filter((x) => x === 0).length).toBeGreaterThan(l.length / 5);
    expect(Math.max(...l)).toBeGreaterThan(10);
  });
});

/** Every seeded table as text, dialect-neutral: integers as decimal strings, rows sorted in JS. */
async function neutralDump(store: Store): Promise<string> {
  const out: string[] = [];
  for (const table of ['users', 'posts', 'follows', 'likes', 'media', 'polls', 'places', 'lists', 'list_members', 'list_followers', 'list_pins'] as const) {
    const rows = (await store.db.selectFrom(table).selectAll().execute()).map((r) =>
      JSON.stringify(Object.entries(r).sort(([x], [y]) => (x < y ? -1 : 1)).map(([k, v]) => [k, v === null ? null : String(v)])),
    );
    out.push(table, ...rows.sort());
  }
  return out.join('\n');
}

describe.skipIf(!postgresAvailable())('seedWorld on PostgreSQL', () => {
  it('writes the same world as on SQLite', async () => {
    const server = await startPostgres();
    const pgStore = await openStore(server.url);
    const sqlite = await openStore(':memory:');
    try {
      const size = { seed: 11, users: 80, posts: 800, now: NOW };
      await seedWorld(pgStore, size);
      await seedWorld(sqlite, size);
      const [a, b] = [await neutralDump(pgStore), await neutralDump(sqlite)];
      expect(a.length).toBeGreaterThan(10_000);
      expect(a === b).toBe(true);
    } finally {
      await pgStore.close();
      await sqlite.close();
      await server.stop();
    }
  });
});

describe('seedWorld on tiny worlds', () => {
  it.each([
    [1, 1],
    [1, 40],
    [2, 30],
    [6, 300],
  ])('keeps ids ordered and counters exact with %i users / %i posts', async (nUsers, nPosts) => {
    const store = await openStore(':memory:');
    try {
      const s = await seedWorld(store, { seed: 5, users: nUsers, posts: nPosts, now: NOW });
      const db = store.db;
      const us = (await db.selectFrom('users').selectAll().execute()).map(userFromDb);
      const ps = (await db.selectFrom('posts').selectAll().orderBy('id').execute()).map(postFromDb);
      const nLikes = await db.selectFrom('likes').select(['post_id', 'user_id']).execute();
      const nFollows = await db.selectFrom('follows').select(['followee_id']).execute();
      expect(us).toHaveLength(nUsers);
      expect(ps).toHaveLength(nPosts);
      expect(ps.some((p) => p.id === XDEVELOPERS_PINNED_POST_ID)).toBe(true);
      expect(s.likes).toBe(nLikes.length);
      expect(us.reduce((t, u) => t + u.followersCount, 0)).toBe(nFollows.length);
      expect(us.reduce((t, u) => t + u.likeCount, 0)).toBe(nLikes.length);
      expect(ps.reduce((t, p) => t + p.likeCount, 0)).toBe(nLikes.length);
      expect(us.reduce((t, u) => t + u.tweetCount, 0)).toBe(nPosts);
      const ids = new Set(ps.map((p) => p.id));
      for (let i = 0; i < ps.length; i++) {
        const p = ps[i]!;
        if (i > 0) expect(p.createdAt).toBeGreaterThanOrEqual(ps[i - 1]!.createdAt);
        for (const ref of [p.inReplyToPostId, p.quotedPostId, p.repostedPostId, p.conversationId]) if (ref) expect(ids.has(ref)).toBe(true);
      }
    } finally {
      await store.close();
    }
  });
});

describe('Random', () => {
  it('repeats per seed and fork label', () => {
    const draw = (r: Random) => Array.from({ length: 5 }, () => r.uint32());
    expect(draw(new Random(7))).toEqual(draw(new Random(7)));
    expect(draw(new Random(7))).not.toEqual(draw(new Random(8)));
    expect(draw(new Random(7).fork('x'))).toEqual(draw(new Random(7).fork('x')));
    expect(draw(new Random(7).fork('x'))).not.toEqual(draw(new Random(7).fork('y')));
    const used = new Random(7);
    used.uint32();
    expect(draw(used.fork('x'))).toEqual(draw(new Random(7).fork('x')));
  });

  it('samples weights in proportion', () => {
    const r = new Random(1);
    const s = new WeightedSampler([1, 2, 7]);
    const n = [0, 0, 0];
    for (let i = 0; i < 100_000; i++) n[s.sample(r)]!++;
    expect(n[0]! / 100_000).toBeCloseTo(0.1, 1);
    expect(n[2]! / 100_000).toBeCloseTo(0.7, 1);
    for (let i = 0; i < 1000; i++) {
      const v = r.int(3, 5);
      expect(v >= 3 && v <= 5).toBe(true);
    }
  });
});
