import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openStore, type Store } from '../src/db/connect.js';
import { createRepos, type Repos } from '../src/data/index.js';
import type { Edge, EdgeKey, EdgePageQuery } from '../src/data/edges.js';
import type { AppRow, MediaRow, PlaceRow, PollRow, PostRow, TokenRow, UserRow } from '../src/data/rows.js';
import { testPost, testUser } from '../src/pipeline/test-rows.js';
import { onPostgres } from './postgres-suite.js';

/**
 * One contract, every store: the same suite runs against SQLite and a real PostgreSQL. Ids are 19-digit
 * snowflakes above 2^53 that differ only in their last digits, so any detour through a JS number shows up.
 */

const BASE = 1_800_000_000_000_000_000n;
/** A 19-digit id; neighbours differ by 1, which a double cannot tell apart. */
const sid = (n: number): string => (BASE + BigInt(n)).toString();
const T0 = 1_700_000_000_000;

function user(id: string, username: string, over: Partial<UserRow> = {}): UserRow {
  return testUser(id, { username, name: `Name of ${username}`, profileImageUrl: `https://img.example/${username}.png`, ...over });
}

const post = testPost;

/** Numeric (not lexical) order of decimal id strings, newest first. */
const byIdDesc = (a: string, b: string) => (BigInt(b) > BigInt(a) ? 1 : BigInt(b) < BigInt(a) ? -1 : 0);
/** The order edge pages walk: created_at, then id, both descending. */
const edgeDesc = (a: Edge, b: Edge) => b.at - a.at || byIdDesc(a.id, b.id);

type EdgePager = (anchor: string, q: EdgePageQuery) => Promise<Edge[]>;

/** Follows next-page keys (newest first) until a short page; returns the pages as walked. */
async function walkNewestFirst(pager: EdgePager, anchor: string, limit: number): Promise<Edge[][]> {
  const pages: Edge[][] = [];
  let from: EdgeKey | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = await pager(anchor, { limit, from });
    if (page.length === 0) break;
    pages.push(page);
    if (page.length < limit) break;
    from = page[page.length - 1];
  }
  return pages;
}

/** Follows previous-page keys (oldest first) from `from` until a short page. */
async function walkOldestFirst(pager: EdgePager, anchor: string, from: EdgeKey, limit: number): Promise<Edge[]> {
  const out: Edge[] = [];
  for (let guard = 0; guard < 100; guard++) {
    const page = await pager(anchor, { limit, from, ascending: true });
    out.push(...page);
    if (page.length < limit) break;
    from = page[page.length - 1];
  }
  return out;
}

function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    let repos: Repos;
    const extra: Store[] = [];

    beforeAll(async () => {
      store = await open();
      repos = createRepos(store);
    });
    afterAll(async () => {
      for (const s of extra) await s.close();
      await store?.close();
    });

    const openAnother = async () => {
      const s = await open();
      extra.push(s);
      return s;
    };

    it('migrations are idempotent: a second open on the same database migrates nothing and sees the data', async () => {
      await repos.users.insertMany([user(sid(900), 'migrationprobe')]);
      const again = await openAnother();
      const migrations = (await sql<{ name: string }>`select name from kysely_migration`.execute(again.db)).rows;
      // Each migration ran exactly once (the list grows with every feature; only duplicates would be wrong).
      const names = migrations.map((m) => m.name);
      expect(names.slice(0, 2)).toEqual(['001_init', '002_social']);
      expect(names).toContain('005_limits');
      expect(new Set(names).size).toBe(names.length);
      expect((await createRepos(again).users.byIds([sid(900)])).get(sid(900))?.username).toBe('migrationprobe');
      expect(again.dialect.name).toBe(store.dialect.name);
    });

    describe('users', () => {
      const full = user(sid(1), 'RoostDev', {
        name: 'Roost Developer',
        description: 'Builds #roost with @other',
        location: 'Lisbon',
        url: 'https://t.co/abc',
        profileBannerUrl: 'https://img.example/banner.png',
        protected: true,
        verified: true,
        verifiedType: 'blue',
        suspended: false,
        createdAt: T0 + 123,
        pinnedPostId: sid(1_000_001),
        mostRecentPostId: '9223372036854775807',
        followersCount: 3_000_000_000,
        followingCount: 12,
        tweetCount: 1,
        listedCount: 0,
        likeCount: 7,
        entities: {
          url: { urls: [{ start: 0, end: 16, url: 'https://t.co/abc', expanded_url: 'https://roost.dev', display_url: 'roost.dev' }] },
          description: { hashtags: [{ start: 7, end: 13, tag: 'roost' }], mentions: [{ start: 19, end: 25, username: 'other' }] },
        },
        withheld: { country_codes: ['DE', 'FR'], scope: 'user' },
      });
      // Neighbours of `full` that collapse onto the same double; and the largest int8.
      const twin = user(sid(2), 'roost_twin', { suspended: true });
      const max = user('9223372036854775807', 'maxid');

      beforeAll(async () => {
        await repos.users.insertMany([full, twin, max]);
      });

      it('byIds round-trips every column, with 19-digit ids above 2^53 exact as strings', async () => {
        const got = await repos.users.byIds([sid(1), sid(2), '9223372036854775807', sid(1), sid(3)]);
        expect([...got.keys()].sort()).toEqual([sid(1), sid(2), '9223372036854775807'].sort());
        expect(got.get(sid(1))).toEqual(full);
        expect(got.get(sid(2))).toEqual(twin);
        expect(got.get('9223372036854775807')).toEqual(max);
        expect(typeof got.get(sid(1))!.followersCount).toBe('number');
        expect(await repos.users.byIds([])).toEqual(new Map());
      });

      it('byUsernames is case-insensitive, keyed by the lower-cased name, keeping the stored spelling', async () => {
        const got = await repos.users.byUsernames(['ROOSTDEV', 'roostdev', 'Roost_Twin', 'nobody']);
        expect([...got.keys()].sort()).toEqual(['roost_twin', 'roostdev']);
        expect(got.get('roostdev')!.username).toBe('RoostDev');
        expect(got.get('roostdev')!.id).toBe(sid(1));
        expect(got.get('roost_twin')!.id).toBe(sid(2));
      });

      it('rejects a username that differs only in case', async () => {
        await expect(repos.users.insertMany([user(sid(4), 'ROOSTDEV')])).rejects.toThrow();
        expect((await repos.users.byIds([sid(4)])).size).toBe(0);
      });
    });

    describe('posts', () => {
      const A = sid(100);
      const B = sid(101);
      /** Writes the quotes and edits, so A's timeline holds only `timeline` and `rich`. */
      const C = sid(102);
      /** 18 digits: numerically below every 19-digit id, lexically above them. */
      const OLD = '999999999999999999';
      const rich = post(sid(1_000_001), A, {
        text: 'Hello #roost @b https://t.co/x $ROO',
        createdAt: T0 + 1,
        conversationId: sid(1_000_001),
        lang: 'und',
        replySettings: 'following',
        possiblySensitive: true,
        source: 'Roost Web App',
        entities: {
          hashtags: [{ start: 6, end: 12, tag: 'roost' }],
          mentions: [{ start: 13, end: 15, username: 'b', id: B }],
          urls: [{ start: 16, end: 31, url: 'https://t.co/x', expanded_url: 'https://roost.dev/x', display_url: 'roost.dev/x', media_key: '3_1' }],
          cashtags: [{ start: 32, end: 36, tag: 'ROO' }],
          annotations: [{ start: 6, end: 11, probability: 0.75, type: 'Product', normalized_text: 'Roost' }],
        },
        mediaKeys: ['3_1', '7_2'],
        pollId: sid(5_000_001),
        placeId: '01a9a39529b27f36',
        geoCoordinates: [-9.1393, 38.7223],
        noteText: 'a longer note ✓ with unicode ☃',
        noteEntities: { hashtags: [{ start: 0, end: 2, tag: 'a' }] },
        retweetCount: 1,
        replyCount: 2,
        likeCount: 3,
        quoteCount: 4,
        bookmarkCount: 5,
        impressionCount: 123_456_789_012,
      });

      // A's timeline, oldest to newest (by id): OLD, t1..t8; t3 reply, t5 repost, t7 deleted.
      const t = (n: number) => sid(2_000_000 + n);
      const timeline: PostRow[] = [
        post(OLD, A, { createdAt: T0 - 1 }),
        post(t(1), A),
        post(t(2), A),
        post(t(3), A, { inReplyToPostId: sid(1_000_001), inReplyToUserId: A, conversationId: sid(1_000_001) }),
        post(t(4), A),
        post(t(5), A, { repostedPostId: sid(1_000_002), text: 'RT @b: other' }),
        post(t(6), A),
        post(t(7), A, { deleted: true }),
        post(t(8), A),
      ];
      /** A's live posts, newest first: numeric order puts the 18-digit OLD last. */
      const live = [t(8), t(6), t(5), t(4), t(3), t(2), t(1), rich.id, OLD];

      const q = (n: number) => sid(3_000_000 + n);
      const quotesAndReposts: PostRow[] = [
        post(sid(1_000_002), B, { text: 'the quoted one' }),
        post(q(1), C, { quotedPostId: sid(1_000_002) }),
        post(q(2), B, { quotedPostId: sid(1_000_002), inReplyToPostId: sid(1_000_002), inReplyToUserId: B }),
        post(q(3), C, { quotedPostId: sid(1_000_002), deleted: true }),
        post(q(4), C, { quotedPostId: sid(1_000_002) }),
        post(q(5), B, { repostedPostId: sid(1_000_002) }),
        post(q(6), C, { repostedPostId: sid(1_000_002), deleted: true }),
        // Edit chain: root q(10) → q(11) → q(12); a lone root q(20).
        post(q(10), C, { editRootId: q(10) }),
        post(q(11), C, { editRootId: q(10) }),
        post(q(12), C, { editRootId: q(10) }),
        post(q(20), B),
      ];

      beforeAll(async () => {
        await repos.users.insertMany([user(A, 'author_a'), user(B, 'author_b'), user(C, 'author_c')]);
        await repos.posts.insertMany([rich, ...timeline, ...quotesAndReposts]);
      });

      it('byIds round-trips every column: JSON entities, nulls, booleans, counters as numbers', async () => {
        const got = await repos.posts.byIds([rich.id, t(1), t(7), sid(9_999_999)]);
        expect([...got.keys()].sort()).toEqual([rich.id, t(1), t(7)].sort());
        expect(got.get(rich.id)).toEqual(rich);
        expect(got.get(t(1))).toEqual(timeline[1]);
        // Deleted rows are still returned: visibility is rules/' decision.
        expect(got.get(t(7))).toEqual(timeline[7]);
        // The reference columns, set on other rows.
        const refs = await repos.posts.byIds([t(3), t(5), q(1)]);
        expect(refs.get(t(3))).toEqual(timeline[3]);
        expect(refs.get(t(5))).toEqual(timeline[5]);
        expect(refs.get(q(1))).toEqual(quotesAndReposts[1]);
        const r = got.get(rich.id)!;
        expect(typeof r.impressionCount).toBe('number');
        expect(typeof r.createdAt).toBe('number');
        expect(typeof r.possiblySensitive).toBe('boolean');
      });

      it('stores empty entities and empty media lists as absent; count sees the insert', async () => {
        const id = sid(4_000_001);
        const before = await repos.posts.count();
        await repos.posts.insertMany([post(id, B, { entities: {}, mediaKeys: [] })]);
        const got = (await repos.posts.byIds([id])).get(id)!;
        expect(got.entities).toBeNull();
        expect(got.mediaKeys).toBeNull();
        expect(await repos.posts.count()).toBe(before + 1);
      });

      it('idsByAuthor: live posts, newest first in numeric id order, limited', async () => {
        expect(await repos.posts.idsByAuthor({ authorId: A, limit: 100 })).toEqual(live);
        expect(await repos.posts.idsByAuthor({ authorId: A, limit: 3 })).toEqual(live.slice(0, 3));
        expect(await repos.posts.idsByAuthor({ authorId: sid(7_777), limit: 10 })).toEqual([]);
      });

      it('idsByAuthor: after/before bounds are exclusive', async () => {
        expect(await repos.posts.idsByAuthor({ authorId: A, limit: 100, after: t(2), before: t(6) })).toEqual([t(5), t(4), t(3)]);
        expect(await repos.posts.idsByAuthor({ authorId: A, limit: 100, after: t(8) })).toEqual([]);
        expect(await repos.posts.idsByAuthor({ authorId: A, limit: 100, after: t(7), before: t(8) })).toEqual([]);
        expect(await repos.posts.idsByAuthor({ authorId: A, limit: 100, before: t(1) })).toEqual([rich.id, OLD]);
        expect(await repos.posts.idsByAuthor({ authorId: A, limit: 2, after: OLD })).toEqual([t(8), t(6)]);
        expect(await repos.posts.idsByAuthor({ authorId: A, limit: 100, after: OLD, before: t(1) })).toEqual([rich.id]);
      });

      it('idsByAuthor: excludeReplies and excludeRetweets', async () => {
        const w = { authorId: A, limit: 100, after: t(0) };
        expect(await repos.posts.idsByAuthor({ ...w, excludeReplies: true })).toEqual([t(8), t(6), t(5), t(4), t(2), t(1)]);
        expect(await repos.posts.idsByAuthor({ ...w, excludeRetweets: true })).toEqual([t(8), t(6), t(4), t(3), t(2), t(1)]);
        expect(await repos.posts.idsByAuthor({ ...w, excludeReplies: true, excludeRetweets: true })).toEqual([t(8), t(6), t(4), t(2), t(1)]);
      });

      it('idsByAuthor: ascending walks oldest first from a bound (previous pages)', async () => {
        expect(await repos.posts.idsByAuthor({ authorId: A, limit: 3, ascending: true })).toEqual([OLD, rich.id, t(1)]);
        expect(await repos.posts.idsByAuthor({ authorId: A, limit: 3, ascending: true, after: t(3) })).toEqual([t(4), t(5), t(6)]);
        expect(await repos.posts.idsByAuthor({ authorId: A, limit: 10, ascending: true, after: t(5) })).toEqual([t(6), t(8)]);
        expect(await repos.posts.idsByAuthor({ authorId: A, limit: 10, ascending: true, after: t(1), before: t(4) })).toEqual([t(2), t(3)]);
      });

      it('idsQuoting: live quotes, newest first, windowed, optionally without replies', async () => {
        const quoted = sid(1_000_002);
        expect(await repos.posts.idsQuoting(quoted, { limit: 10 })).toEqual([q(4), q(2), q(1)]);
        expect(await repos.posts.idsQuoting(quoted, { limit: 1 })).toEqual([q(4)]);
        expect(await repos.posts.idsQuoting(quoted, { limit: 10, before: q(4) })).toEqual([q(2), q(1)]);
        expect(await repos.posts.idsQuoting(quoted, { limit: 10, after: q(1) })).toEqual([q(4), q(2)]);
        expect(await repos.posts.idsQuoting(quoted, { limit: 10, ascending: true })).toEqual([q(1), q(2), q(4)]);
        expect(await repos.posts.idsQuoting(quoted, { limit: 10, excludeReplies: true })).toEqual([q(4), q(1)]);
        expect(await repos.posts.idsQuoting(sid(1_000_001), { limit: 10 })).toEqual([]);
      });

      it('repostsOf: live reposts with their authors, newest first', async () => {
        const original = sid(1_000_002);
        expect(await repos.posts.repostsOf(original, { limit: 10 })).toEqual([
          { id: q(5), authorId: B },
          { id: t(5), authorId: A },
        ]);
        expect(await repos.posts.repostsOf(original, { limit: 10, ascending: true })).toEqual([
          { id: t(5), authorId: A },
          { id: q(5), authorId: B },
        ]);
        expect(await repos.posts.repostsOf(original, { limit: 10, before: q(5) })).toEqual([{ id: t(5), authorId: A }]);
        expect(await repos.posts.repostsOf(original, { limit: 10, after: t(5) })).toEqual([{ id: q(5), authorId: B }]);
      });

      it('editChains: every version per root, oldest first', async () => {
        const chains = await repos.posts.editChains([q(10), q(20), q(10), sid(9_999_999)]);
        expect([...chains.keys()].sort()).toEqual([q(10), q(20)].sort());
        expect(chains.get(q(10))).toEqual([q(10), q(11), q(12)]);
        expect(chains.get(q(20))).toEqual([q(20)]);
        expect(await repos.posts.editChains([])).toEqual(new Map());
      });
    });

    describe('edges', () => {
      const CELEB = sid(10_000);
      const FAN = sid(10_001);
      /** 18 digits: sorts lexically after, numerically before, the 19-digit fans. */
      const SHORT = '999999999999999998';
      const fans = [SHORT, ...Array.from({ length: 13 }, (_, i) => sid(11_000 + i))];
      // Heavy timestamp ties (groups of 1, 4, 2, 5 and 2); SHORT shares its timestamp with three 19-digit fans.
      const ats = [1, 0, 1, 1, 1, 2, 2, 3, 3, 3, 3, 3, 4, 4].map((k) => T0 + k * 1000);
      const POST = sid(20_000);
      const likedPosts = Array.from({ length: 9 }, (_, i) => sid(21_000 + i));

      const expectedFollowers = fans.map((id, i) => ({ id, at: ats[i] })).sort(edgeDesc);

      beforeAll(async () => {
        await repos.users.insertMany([user(CELEB, 'celeb'), user(FAN, 'superfan'), ...fans.map((id, i) => user(id, `fan${i}`))]);
        await repos.posts.insertMany([post(POST, CELEB), ...likedPosts.map((id) => post(id, CELEB))]);
        await repos.edges.insertFollows([
          ...fans.map((id, i) => ({ followerId: id, followeeId: CELEB, at: ats[i] })),
          // FAN follows every fan, in threes per timestamp (SHORT ties with two 19-digit fans).
          ...fans.map((id, i) => ({ followerId: FAN, followeeId: id, at: T0 + Math.floor(i / 3) * 1000 })),
        ]);
        await repos.edges.insertLikes([
          ...fans.map((id, i) => ({ userId: id, postId: POST, at: ats[i] })),
          ...likedPosts.map((id, i) => ({ userId: FAN, postId: id, at: T0 + (i % 2) * 1000 })),
        ]);
      });

      const pagers = (): Record<string, { pager: EdgePager; anchor: string; expected: Edge[] }> => ({
        followers: { pager: (a, q) => repos.edges.followers(a, q), anchor: CELEB, expected: expectedFollowers },
        following: {
          pager: (a, q) => repos.edges.following(a, q),
          anchor: FAN,
          expected: fans.map((id, i) => ({ id, at: T0 + Math.floor(i / 3) * 1000 })).sort(edgeDesc),
        },
        likingUsers: { pager: (a, q) => repos.edges.likingUsers(a, q), anchor: POST, expected: expectedFollowers },
        likedPosts: {
          pager: (a, q) => repos.edges.likedPosts(a, q),
          anchor: FAN,
          expected: likedPosts.map((id, i) => ({ id, at: T0 + (i % 2) * 1000 })).sort(edgeDesc),
        },
      });

      for (const relation of ['followers', 'following', 'likingUsers', 'likedPosts'] as const) {
        it(`${relation}: newest-first keyset pages across timestamp ties have no duplicates and no gaps`, async () => {
          const { pager, anchor, expected } = pagers()[relation];
          const all = await pager(anchor, { limit: 100 });
          expect(all).toEqual(expected);
          for (const limit of [1, 2, 3, 4]) {
            const pages = await walkNewestFirst(pager, anchor, limit);
            expect(pages.every((p) => p.length <= limit)).toBe(true);
            expect(pages.flat()).toEqual(expected);
          }
        });

        it(`${relation}: ascending walks (previous pages) return the newer rows oldest first`, async () => {
          const { pager, anchor, expected } = pagers()[relation];
          const oldest = expected[expected.length - 1];
          expect(await walkOldestFirst(pager, anchor, oldest, 2)).toEqual(expected.slice(0, -1).reverse());
          // The page before page 2 (limit 3) is page 1, reversed.
          const [page1, page2] = await walkNewestFirst(pager, anchor, 3);
          expect(await pager(anchor, { limit: 3, from: page2[0], ascending: true })).toEqual([...page1].reverse());
          // Nothing is newer than the newest row.
          expect(await pager(anchor, { limit: 3, from: expected[0], ascending: true })).toEqual([]);
        });
      }

      it('orders ids within a timestamp tie numerically, not lexically', async () => {
        const tie = T0 + 1000;
        const tied = fans.filter((_, i) => ats[i] === tie).sort(byIdDesc);
        expect(tied.at(-1)).toBe(SHORT);
        const page = await repos.edges.followers(CELEB, { limit: 10, from: { at: tie, id: tied[0] } });
        expect(page).toEqual([...tied.slice(1).map((id) => ({ id, at: tie })), { id: fans[1], at: T0 }]);
        expect(await repos.edges.followers(CELEB, { limit: 1, from: { at: tie, id: SHORT }, ascending: true })).toEqual([{ id: tied[2], at: tie }]);
      });

      it('followPairs: which follower → followee pairs exist', async () => {
        const got = await repos.edges.followPairs([
          [fans[0], CELEB],
          [CELEB, fans[0]],
          [FAN, fans[3]],
          [FAN, CELEB],
          [FAN, sid(99_999)],
          [fans[5], CELEB],
        ]);
        expect([...got].sort()).toEqual([`${fans[0]}:${CELEB}`, `${FAN}:${fans[3]}`, `${fans[5]}:${CELEB}`].sort());
        expect(await repos.edges.followPairs([])).toEqual(new Set());
      });

      it('viewerGraph: whom a user follows and mutes, and who blocks them or is blocked by them, unfiltered', async () => {
        await repos.timelines.insertMutes([{ muterId: FAN, mutedId: fans[1], at: T0 }]);
        await repos.timelines.insertBlocks([
          { blockerId: FAN, blockedId: fans[2], at: T0 },
          { blockerId: fans[4], blockedId: FAN, at: T0 },
          { blockerId: fans[5], blockedId: CELEB, at: T0 },
        ]);
        const g = await repos.timelines.viewerGraph(FAN);
        // Muted and blocked accounts stay in `following`: rules/ decides what the home timeline leaves out.
        expect([...g.following].sort(byIdDesc)).toEqual([...fans].sort(byIdDesc));
        expect(g.muted).toEqual(new Set([fans[1]]));
        expect(g.blocked).toEqual(new Set([fans[2], fans[4]]));
        expect(await repos.timelines.viewerGraph(sid(99_999))).toEqual({ following: [], muted: new Set(), blocked: new Set() });
      });
    });

    describe('attachments', () => {
      const OWNER = sid(30_000);
      const photo: MediaRow = {
        mediaKey: '3_1800000000000030001',
        id: sid(30_001),
        ownerId: OWNER,
        type: 'photo',
        url: 'https://pbs.example/media/1.jpg',
        previewImageUrl: null,
        width: 1200,
        height: 800,
        durationMs: null,
        altText: 'A roost at dusk',
        variants: null,
        viewCount: 0,
        createdAt: T0,
      };
      const video: MediaRow = {
        mediaKey: '7_1800000000000030002',
        id: sid(30_002),
        ownerId: OWNER,
        type: 'video',
        url: null,
        previewImageUrl: 'https://pbs.example/media/2.jpg',
        width: 1920,
        height: 1080,
        durationMs: 61_500,
        altText: null,
        variants: [
          { bit_rate: 2_176_000, content_type: 'video/mp4', url: 'https://video.example/2.mp4' },
          { content_type: 'application/x-mpegURL', url: 'https://video.example/2.m3u8' },
        ],
        viewCount: 9_876_543_210,
        createdAt: T0 + 5,
      };
      const poll: PollRow = {
        id: sid(31_000),
        options: [
          { label: 'Yes', votes: 10 },
          { label: 'No ✗', votes: 0 },
        ],
        durationMinutes: 1440,
        endAt: T0 + 86_400_000,
      };
      const places: PlaceRow[] = [
        {
          id: '01a9a39529b27f36',
          fullName: 'Lisbon, Portugal',
          name: 'Lisbon',
          country: 'Portugal',
          countryCode: 'PT',
          placeType: 'city',
          bbox: [-9.23, 38.69, -9.09, 38.8],
          containedWithin: ['7a9b4d5c3e2f1a0b'],
        },
        {
          id: '7a9b4d5c3e2f1a0b',
          fullName: 'Portugal',
          name: 'Portugal',
          country: 'Portugal',
          countryCode: 'PT',
          placeType: 'country',
          bbox: [-31.27, 30.03, -6.19, 42.15],
          containedWithin: null,
        },
      ];

      beforeAll(async () => {
        await repos.users.insertMany([user(OWNER, 'media_owner')]);
        await repos.attachments.insertMedia([photo, video]);
        await repos.attachments.insertPolls([poll]);
        await repos.attachments.insertPlaces(places);
      });

      it('media round-trip, nulls and variants included', async () => {
        const got = await repos.attachments.mediaByKeys([photo.mediaKey, video.mediaKey, photo.mediaKey, '3_0']);
        expect([...got.keys()].sort()).toEqual([photo.mediaKey, video.mediaKey].sort());
        expect(got.get(photo.mediaKey)).toEqual(photo);
        expect(got.get(video.mediaKey)).toEqual(video);
        expect(await repos.attachments.mediaByKeys([])).toEqual(new Map());
      });

      it('polls round-trip', async () => {
        const got = await repos.attachments.pollsByIds([poll.id, sid(31_001)]);
        expect([...got.keys()]).toEqual([poll.id]);
        expect(got.get(poll.id)).toEqual(poll);
      });

      it('places round-trip', async () => {
        const got = await repos.attachments.placesByIds(places.map((p) => p.id).concat('nowhere'));
        expect(got.size).toBe(2);
        for (const p of places) expect(got.get(p.id)).toEqual(p);
      });
    });

    describe('deferred writes (data/deferred.ts): search documents, mentions, counters and outbox rows written once per transaction', () => {
      const W = sid(7_000);
      const M = sid(7_001);
      const p = (n: number) => sid(7_100 + n);
      /** Whether the post has a search document (FTS5 keys documents by rowid, PostgreSQL by post_id). */
      const hasDoc = async (id: string) => {
        const key = store.dialect.name === 'sqlite' ? 'rowid' : 'post_id';
        return (await sql.raw<{ n: unknown }>(`select count(*) as n from post_search where ${key} = ${BigInt(id)}`).execute(store.db)).rows.map((r) => Number(r.n))[0] === 1;
      };
      const counters = async () => {
        const post = (await repos.posts.byIds([p(0)])).get(p(0))!;
        const u = (await repos.users.byIds([W])).get(W)!;
        return { like: post.likeCount, reply: post.replyCount, quote: post.quoteCount, tweets: u.tweetCount, likes: u.likeCount, followers: u.followersCount };
      };

      beforeAll(async () => {
        await repos.users.insertMany([user(W, 'deferred_w', { tweetCount: 1, likeCount: 2 }), user(M, 'deferred_m')]);
        await repos.posts.insertMany([post(p(0), W, { likeCount: 5, replyCount: 1 })]);
      });

      it('outside a transaction writes go at once; inside one they wait for the commit (or flush()) and then land', async () => {
        expect(await hasDoc(p(0))).toBe(true);
        await repos.transaction(async (r) => {
          await r.posts.insertOne(post(p(1), W, { text: 'deferred words' }));
          await r.mentions.insert(p(1), [M, M]);
          await r.posts.adjustCounters(p(0), { like_count: 1 });
          expect(await r.mentions.mentions(p(1), M)).toBe(false);
          expect((await r.posts.byIds([p(0)])).get(p(0))!.likeCount).toBe(5);
          await r.flush();
          expect(await r.mentions.mentions(p(1), M)).toBe(true);
          expect((await r.posts.byIds([p(0)])).get(p(0))!.likeCount).toBe(6);
          await r.posts.adjustCounters(p(0), { like_count: -1 });
        });
        expect(await hasDoc(p(1))).toBe(true);
        expect((await counters()).like).toBe(5);
      });

      it('a unit rolled back to its savepoint takes its deferred writes with it; the units around it commit theirs, summed', async () => {
        const before = await counters();
        await repos.transaction(async (r) => {
          await r.savepoint(async () => {
            await r.posts.insertOne(post(p(2), W, { text: 'kept unit' }));
            await r.mentions.insert(p(2), [M]);
            await r.deliveries.enqueue([{ id: sid(7_300), type: 'post.created', event: '{"kept":true}', at: T0 }]);
            await r.posts.adjustCounters(p(0), { like_count: 1, reply_count: 1 });
            await r.users.adjustCounters(W, { tweet_count: 1, like_count: 1 });
          });
          await expect(
            r.savepoint(async () => {
              await r.posts.insertOne(post(p(3), W, { text: 'failed unit' }));
              await r.mentions.insert(p(3), [M]);
              await r.deliveries.enqueue([{ id: sid(7_301), type: 'post.created', event: '{"kept":false}', at: T0 }]);
              await r.posts.adjustCounters(p(0), { like_count: 100, quote_count: 3 });
              await r.users.adjustCounters(W, { followers_count: 9 });
              await r.flush(); // flushed inside the savepoint: the database's rollback undoes it
              await r.users.adjustCounters(W, { tweet_count: 50 });
              throw new Error('this unit fails');
            }),
          ).rejects.toThrow('this unit fails');
          await r.savepoint(async () => {
            await r.posts.adjustCounters(p(0), { like_count: 1, quote_count: 1 });
            await r.posts.adjustCounters(p(0), { quote_count: -1 });
            await r.users.adjustCounters(W, { like_count: -1 });
          });
        });
        expect(await counters()).toEqual({ ...before, like: before.like + 2, reply: before.reply + 1, tweets: before.tweets + 1 });
        expect(await hasDoc(p(2))).toBe(true);
        expect(await hasDoc(p(3))).toBe(false);
        expect((await repos.posts.byIds([p(3)])).has(p(3))).toBe(false);
        expect(await repos.mentions.mentions(p(2), M)).toBe(true);
        expect(await repos.mentions.mentions(p(3), M)).toBe(false);
        const outbox = await repos.deliveries.claimOutbox('contract', T0, T0 + 1000, 100);
        expect(outbox.map((o) => [o.id, o.event])).toEqual([[sid(7_300), '{"kept":true}']]);
      });

      it('summed counter changes never take a counter below zero, and a change that sums to zero writes nothing', async () => {
        await repos.transaction(async (r) => {
          await r.users.adjustCounters(M, { followers_count: -3, following_count: 1 });
          await r.users.adjustCounters(M, { following_count: -1 });
        });
        const m = (await repos.users.byIds([M])).get(M)!;
        expect([m.followersCount, m.followingCount]).toEqual([0, 0]);
      });

      it('many rows with different counter sets in one transaction: each row gets exactly its own sum', async () => {
        const ids = Array.from({ length: 40 }, (_, i) => sid(7_200 + i));
        await repos.posts.insertMany(ids.map((id) => post(id, W)));
        await repos.transaction(async (r) => {
          for (const [i, id] of ids.entries()) {
            for (let k = 0; k <= i % 4; k++) await r.posts.adjustCounters(id, i % 2 ? { like_count: 1 } : { like_count: 1, retweet_count: 2 });
          }
        });
        const got = await repos.posts.byIds(ids);
        for (const [i, id] of ids.entries()) {
          const n = (i % 4) + 1;
          expect([got.get(id)!.likeCount, got.get(id)!.retweetCount], id).toEqual([n, i % 2 ? 0 : 2 * n]);
        }
      });
    });

    describe('direct messages', () => {
      it('an event keeps the app it was sent through, 19 digits exact (migration 017), and none when sent without one', async () => {
        const [a, b] = [sid(30_001), sid(30_002)];
        const message = { conversationId: `${a}-${b}`, eventType: 'MessageCreate' as const, senderId: a, text: 'via an app', entities: null, mediaKeys: null, referencedPostIds: null, participantIds: null, createdAt: T0 };
        await repos.dms.insertEvents([
          { ...message, id: sid(30_003), sourceAppId: '9223372036854775801' },
          { ...message, id: sid(30_004), sourceAppId: null },
        ]);
        const got = await repos.dms.eventsByIds([sid(30_003), sid(30_004)]);
        expect(got.get(sid(30_003))).toEqual({ ...message, id: sid(30_003), sourceAppId: '9223372036854775801' });
        expect(got.get(sid(30_004))?.sourceAppId).toBeNull();
      });
    });

    describe('webhook fan-out (hand-written statements: outbox claim and release, subscriptions and links of a batch)', () => {
      /** The same store with a parameter limit of 3: every batch-wide read and release goes in slices. */
      let sliced: Repos;
      beforeAll(() => {
        sliced = createRepos({ ...store, dialect: { ...store.dialect, maxParams: 3 } });
      });

      it('claims take free rows oldest first, 19 digits exact; a release removes only the rows its owner still holds', async () => {
        // The deferred-writes test left its row claimed; it is done with it.
        await repos.deliveries.releaseOutbox([sid(7_300)], 'contract');
        const ids = [8_005, 8_001, 8_004, 8_002, 8_003].map(sid);
        await repos.deliveries.enqueue(ids.map((id, i) => ({ id, type: 'post.created', event: `{"n":${i}}`, at: T0 + i })));
        const mine = await repos.deliveries.claimOutbox('node-a', T0, T0 + 15_000, 3);
        expect(mine.map((r) => r.id)).toEqual([8_001, 8_002, 8_003].map(sid));
        expect(mine[0]).toEqual({ id: sid(8_001), type: 'post.created', event: '{"n":1}', at: T0 + 1 });
        // Held rows are not free to anyone else until the lease runs out.
        expect((await repos.deliveries.claimOutbox('node-b', T0 + 14_999, T0 + 30_000, 10)).map((r) => r.id)).toEqual([8_004, 8_005].map(sid));
        // Past node-a's lease, node-b takes the oldest of its rows.
        expect((await repos.deliveries.claimOutbox('node-b', T0 + 15_000, T0 + 30_000, 1)).map((r) => r.id)).toEqual([sid(8_001)]);
        const released = await sliced.deliveries.releaseOutbox([...mine.map((r) => r.id), sid(8_004), sid(9_999)], 'node-a');
        expect([...released].sort()).toEqual([8_002, 8_003].map(sid));
        // As the engine releases: inside the transaction that inserts the deliveries.
        const theirs = await repos.transaction((r) => r.deliveries.releaseOutbox([8_001, 8_004, 8_005].map(sid), 'node-b'));
        expect([...theirs].sort()).toEqual([8_001, 8_004, 8_005].map(sid));
        expect(await repos.deliveries.outboxSize()).toBe(0);
      });

      it('two nodes claiming at once get disjoint rows, together all of them', async () => {
        const peer = createRepos(await openAnother());
        const ids = Array.from({ length: 12 }, (_, i) => sid(8_050 + i));
        await repos.deliveries.enqueue(ids.map((id) => ({ id, type: 'post.created', event: '{}', at: T0 })));
        const [a, b] = await Promise.all([repos.deliveries.claimOutbox('node-a', T0, T0 + 15_000, 6), peer.deliveries.claimOutbox('node-b', T0, T0 + 15_000, 6)]);
        const [mine, theirs] = [a.map((r) => r.id), b.map((r) => r.id)];
        expect(mine.filter((id) => theirs.includes(id))).toEqual([]);
        expect([...mine, ...theirs].sort()).toEqual(ids);
        expect([...(await repos.deliveries.releaseOutbox(mine, 'node-a'))].sort()).toEqual(mine);
        expect([...(await peer.deliveries.releaseOutbox(theirs, 'node-b'))].sort()).toEqual(theirs);
      });

      it('Account Activity subscriptions of a batch’s users: each once, exact ids, in slices; anySubscription sees them', async () => {
        const [w1, w2, app] = [sid(8_101), sid(8_102), sid(8_103)];
        const [u1, u2, u3] = [sid(8_111), sid(8_112), sid(8_113)];
        expect(await repos.webhooks.anySubscription()).toBe(false);
        for (const [w, u] of [[w1, u1], [w1, u2], [w2, u2], [w2, u3]]) await repos.webhooks.subscribe({ webhookId: w!, userId: u!, appId: app, createdAt: T0 });
        expect(await repos.webhooks.anySubscription()).toBe(true);
        const key = (s: { webhookId: string; userId: string; appId: string }) => `${s.webhookId}|${s.userId}|${s.appId}`;
        const want = [`${w1}|${u1}|${app}`, `${w1}|${u2}|${app}`, `${w2}|${u2}|${app}`];
        for (const r of [repos, sliced]) {
          expect((await r.webhooks.subscriptionsFor([u2, u1, u2, sid(8_119), sid(8_118)])).map(key).sort()).toEqual(want);
          expect(await r.webhooks.subscriptionsFor([])).toEqual([]);
        }
      });

      it('stream links: every app’s, by app id, then age; exact ids', async () => {
        const [hook, a9, a10] = [sid(8_201), sid(8_209), sid(8_210)];
        await repos.webhooks.link({ appId: a10, webhookId: hook, params: { 'tweet.fields': 'lang' }, createdAt: T0 });
        await repos.webhooks.link({ appId: a9, webhookId: sid(8_202), params: {}, createdAt: T0 + 5 });
        await repos.webhooks.link({ appId: a9, webhookId: hook, params: {}, createdAt: T0 + 1 });
        expect((await repos.webhooks.allLinks()).map((l) => [l.appId, l.webhookId, l.createdAt])).toEqual([
          [a9, hook, T0 + 1],
          [a9, sid(8_202), T0 + 5],
          [a10, hook, T0],
        ]);
        expect((await repos.webhooks.allLinks())[2]!.params).toEqual({ 'tweet.fields': 'lang' });
      });

      it('X Activity subscriptions matching a batch’s event types and users: id order across slices, exact ids', async () => {
        const [app, hook, u1, u2] = [sid(8_301), sid(8_302), sid(8_311), sid(8_312)];
        const sub = (n: number, eventType: string, userId: string | null, webhookId: string | null, keyword: string | null = null) => ({
          id: sid(n), appId: app, eventType, userId, keyword, direction: null, tag: null, webhookId, createdAt: T0, updatedAt: T0,
        });
        expect(await repos.activitySubscriptions.anyByUser(false)).toBe(false);
        await repos.activitySubscriptions.insert(sub(8_329, 'post.create', u2, hook));
        expect(await repos.activitySubscriptions.anyByUser(true)).toBe(true);
        await repos.activitySubscriptions.insert(sub(8_321, 'post.create', u1, null));
        await repos.activitySubscriptions.insert(sub(8_325, 'follow.follow', u1, hook));
        await repos.activitySubscriptions.insert(sub(8_330, 'news.new', null, hook, 'roost'));
        for (const r of [repos, sliced]) {
          const got = await r.activitySubscriptions.matching(['post.create', 'follow.follow', 'post.create'], [u2, u1, sid(8_319), sid(8_318)]);
          expect(got.map((s) => [s.id, s.eventType, s.userId, s.webhookId])).toEqual([
            [sid(8_321), 'post.create', u1, null],
            [sid(8_325), 'follow.follow', u1, hook],
            [sid(8_329), 'post.create', u2, hook],
          ]);
          expect(await r.activitySubscriptions.matching(['post.create'], [])).toEqual([]);
        }
      });
    });

    describe('apps, tokens and settings', () => {
      const OWNER = sid(40_000);
      const app: AppRow = {
        id: sid(40_001),
        name: 'Roost CI',
        ownerUserId: OWNER,
        consumerKey: 'ck_roost_ci',
        consumerSecretHash: 'sha256:abc',
        bearerGeneration: 0,
        permission: 'read-write-dm',
        createdAt: T0,
      };
      const other: AppRow = { ...app, id: sid(40_002), name: 'Other', consumerKey: 'ck_other', permission: 'read' };

      beforeAll(async () => {
        await repos.users.insertMany([user(OWNER, 'app_owner')]);
        await repos.apps.insertApp(app);
        await repos.apps.insertApp(other);
      });

      it('insertApp / byConsumerKey / byId / first', async () => {
        expect(await repos.apps.byConsumerKey('ck_roost_ci')).toEqual(app);
        expect(await repos.apps.byId(sid(40_002))).toEqual(other);
        expect(await repos.apps.byId(sid(40_003))).toBeUndefined();
        expect(await repos.apps.byConsumerKey('nope')).toBeUndefined();
        expect(await repos.apps.first()).toEqual(app);
        await expect(repos.apps.insertApp({ ...app, id: sid(40_009) })).rejects.toThrow();
      });

      it('bumpBearerGeneration increments one app only', async () => {
        await repos.apps.bumpBearerGeneration(app.id);
        await repos.apps.bumpBearerGeneration(app.id);
        expect((await repos.apps.byId(app.id))!.bearerGeneration).toBe(2);
        expect((await repos.apps.byId(other.id))!.bearerGeneration).toBe(0);
      });

      it('putToken inserts, then upserts on the same hash; tokenByHash round-trips', async () => {
        const bearer: TokenRow = { tokenHash: 'h_app_1', kind: 'app', appId: app.id, userId: null, scopes: [], expiresAt: null, createdAt: T0 };
        const userToken: TokenRow = {
          tokenHash: 'h_user_1',
          kind: 'user',
          appId: app.id,
          userId: OWNER,
          scopes: ['tweet.read', 'users.read', 'offline.access'],
          expiresAt: T0 + 7_200_000,
          createdAt: T0,
        };
        await repos.apps.putToken(bearer);
        await repos.apps.putToken(userToken);
        expect(await repos.apps.tokenByHash('h_app_1')).toEqual(bearer);
        expect(await repos.apps.tokenByHash('h_user_1')).toEqual(userToken);
        expect(await repos.apps.tokenByHash('missing')).toBeUndefined();

        const replaced: TokenRow = { ...userToken, scopes: ['tweet.read'], expiresAt: null };
        await repos.apps.putToken(replaced);
        const got = await repos.apps.tokenByHash('h_user_1');
        expect(got).toMatchObject({ kind: 'user', appId: app.id, userId: OWNER, scopes: ['tweet.read'], expiresAt: null });
      });

      it("deleteAppBearerTokens removes that app's bearer tokens only", async () => {
        const base = { kind: 'app' as const, userId: null, scopes: [], expiresAt: null, createdAt: T0 };
        await repos.apps.putToken({ ...base, tokenHash: 'h_app_2', appId: app.id });
        await repos.apps.putToken({ ...base, tokenHash: 'h_other_1', appId: other.id });
        expect(await repos.apps.deleteAppBearerTokens(app.id)).toBe(2);
        expect(await repos.apps.tokenByHash('h_app_1')).toBeUndefined();
        expect(await repos.apps.tokenByHash('h_app_2')).toBeUndefined();
        expect(await repos.apps.tokenByHash('h_user_1')).toBeDefined();
        expect(await repos.apps.tokenByHash('h_other_1')).toBeDefined();
        expect(await repos.apps.deleteAppBearerTokens(app.id)).toBe(0);
      });

      it('ensureSetting: the first writer wins, also across concurrent connections', async () => {
        expect(await repos.apps.getSetting('signing_key')).toBeUndefined();
        expect(await repos.apps.ensureSetting('signing_key', 'first')).toBe('first');
        expect(await repos.apps.ensureSetting('signing_key', 'second')).toBe('first');
        expect(await repos.apps.getSetting('signing_key')).toBe('first');

        const peer = createRepos(await openAnother());
        const results = await Promise.all([
          repos.apps.ensureSetting('node_secret', 'node-a'),
          peer.apps.ensureSetting('node_secret', 'node-b'),
          repos.apps.ensureSetting('node_secret', 'node-c'),
        ]);
        expect(new Set(results).size).toBe(1);
        expect(['node-a', 'node-b', 'node-c']).toContain(results[0]);
        expect(await peer.apps.getSetting('node_secret')).toBe(results[0]);
      });
    });
  });
}

// --- SQLite: a temp file, so a second open reaches the same database. ---
const sqliteDir = mkdtempSync(join(tmpdir(), 'roost-store-'));
afterAll(() => rmSync(sqliteDir, { recursive: true, force: true }));
storeContract('sqlite', () => openStore(join(sqliteDir, 'roost.db')));

// --- PostgreSQL: a real throwaway server. In CI its absence is a failure, never a silent skip. ---
onPostgres('store contract: postgres', (openPg) => {
  storeContract('postgres', openPg);

  describe('store: postgres only', () => {
    it('survives the server dropping idle pooled connections (restart, admin terminate): no crash, next query reconnects', async () => {
      const store = await openPg();
      const killer = await openPg();
      try {
        const users = createRepos(store).users;
        const before = await users.count();
        await sql`select pg_terminate_backend(pid) from pg_stat_activity
                  where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`.execute(killer.db);
        // Let the FATAL reach the idle client: without a pool error listener it is an uncaught exception.
        await new Promise((r) => setTimeout(r, 200));
        expect(await users.count()).toBe(before);
      } finally {
        await killer.close();
        await store.close();
      }
    });
  });
});
