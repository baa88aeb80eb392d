import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyPlugin } from 'kysely';
import { openStore, type ReadFn, type Store } from '../db/connect.js';
import { createRepos, type Repos } from '../data/index.js';
import type { PostRow, UserRow } from '../data/rows.js';
import { selectionFrom } from './selection.js';
import { hydrateOnePost, hydratePosts, hydrateUsers } from './hydrate.js';
import { judgePost, LIST, renderPosts, renderUsers } from './render.js';
import { followKey, type Viewer } from './rules.js';
import { testPost, testUser } from './test-rows.js';

/**
 * Hydration against a real store, counting every statement that reaches it (direct reads and the query
 * builder): a page must cost the same number of queries whatever its length.
 */

const VIEWER = '1';
const N = 100;
const user = (i: number) => String(1000 + i);
const post = (i: number) => String(100_000 + i);
const quoted = (i: number) => String(200_000 + i);
const parent = (i: number) => String(300_000 + i);
const firstVersion = (i: number) => String(50_000 + i);
const pinned = (i: number) => String(700_000 + i);

/**
 * N users, each with a post that quotes one of theirs, replies to the next user's post, mentions a third
 * user and carries media, a poll and a place; every fifth post is the second version of an edited chain.
 * A quarter of the users are protected (the viewer follows half of them); a quarter are blocked by the viewer
 * and a quarter block the viewer. Every user pins a post: a third of those are deleted.
 */
async function seed(repos: Repos): Promise<void> {
  const users: UserRow[] = [testUser(VIEWER)];
  const posts: PostRow[] = [];
  const follows: { followerId: string; followeeId: string; at: number }[] = [];
  const blocks: { blockerId: string; blockedId: string; at: number }[] = [];
  for (let i = 0; i < N; i++) {
    users.push(testUser(user(i), { protected: i % 4 === 1, pinnedPostId: pinned(i), mostRecentPostId: post(i) }));
    if (i % 8 === 1) follows.push({ followerId: VIEWER, followeeId: user(i), at: 1 });
    if (i % 4 === 2) blocks.push({ blockerId: VIEWER, blockedId: user(i), at: 1 });
    if (i % 4 === 3) blocks.push({ blockerId: user(i), blockedId: VIEWER, at: 1 });
  }
  for (let i = 0; i < N; i++) {
    const next = (i + 1) % N;
    const edited = i % 5 === 0;
    if (edited) posts.push(testPost(firstVersion(i), user(i), { editCount: 1 }));
    posts.push(testPost(quoted(i), user(i)), testPost(parent(i), user(next)), testPost(pinned(i), user(i), { deleted: i % 3 === 0 }));
    posts.push(
      testPost(post(i), user(i), {
        quotedPostId: quoted(i),
        inReplyToPostId: parent(i),
        inReplyToUserId: user(next),
        editRootId: edited ? firstVersion(i) : post(i),
        mediaKeys: [`3_${400_000 + i}`],
        pollId: String(500_000 + i),
        placeId: `place${i}`,
        entities: { mentions: [{ start: 0, end: 9, username: `USER${user((i + 2) % N)}` }] },
      }),
    );
  }
  await repos.users.insertMany(users);
  await repos.posts.insertMany(posts);
  await repos.edges.insertFollows(follows);
  await repos.timelines.insertBlocks(blocks);
  await repos.attachments.insertMedia(
    Array.from({ length: N }, (_, i) => ({
      mediaKey: `3_${400_000 + i}`,
      id: String(400_000 + i),
      ownerId: user(i),
      type: 'photo' as const,
      url: `https://img.example/${i}.jpg`,
      previewImageUrl: null,
      width: 10,
      height: 10,
      durationMs: null,
      altText: null,
      variants: null,
      viewCount: 0,
      createdAt: 1,
    })),
  );
  await repos.attachments.insertPolls(Array.from({ length: N }, (_, i) => ({ id: String(500_000 + i), options: [{ label: 'a', votes: 0 }, { label: 'b', votes: 1 }], durationMinutes: 60, endAt: 2 })));
  await repos.attachments.insertPlaces(
    Array.from({ length: N }, (_, i) => ({ id: `place${i}`, fullName: `Place ${i}`, name: `P${i}`, country: 'X', countryCode: 'XX', placeType: 'city', bbox: [0, 0, 1, 1] as [number, number, number, number], containedWithin: null })),
  );
}

let store: Store;
let counted: Repos;
const statements: string[] = [];

/** Repositories over the same store whose every statement is recorded. */
function countingRepos(s: Store): Repos {
  const plugin: KyselyPlugin = {
    transformQuery: (a) => a.node,
    transformResult: async (a) => {
      statements.push('builder');
      return a.result;
    },
  };
  const read: ReadFn = (sql, params) => {
    statements.push(sql.slice(0, 40));
    return s.read!(sql, params);
  };
  return createRepos({ db: s.db.withPlugin(plugin), dialect: s.dialect, read });
}

async function queriesOf(f: () => Promise<unknown>): Promise<number> {
  statements.length = 0;
  await f();
  return statements.length;
}

beforeAll(async () => {
  store = await openStore(':memory:');
  await seed(createRepos(store));
  counted = countingRepos(store);
});

afterAll(async () => {
  await store.close();
});

const EVERY_POST_EXPANSION = {
  expansions: [
    'author_id',
    'in_reply_to_user_id',
    'entities.mentions.username',
    'referenced_tweets.id',
    'referenced_tweets.id.author_id',
    'referenced_tweets.id.attachments.media_keys',
    'edit_history_tweet_ids',
    'attachments.media_keys',
    'attachments.poll_ids',
    'geo.place_id',
  ],
  'tweet.fields': ['author_id', 'created_at'],
};
const me: Viewer = { userId: VIEWER };
const env = () => ({ repos: counted, viewer: me, now: 10 });
const firstPosts = (n: number) => Array.from({ length: n }, (_, i) => post(i));
const firstUsers = (n: number) => Array.from({ length: n }, (_, i) => user(i));

describe('hydratePosts', () => {
  it('loads a page with every expansion in a fixed number of queries, whatever its length', async () => {
    const sel = selectionFrom(EVERY_POST_EXPANSION);
    const ten = await queriesOf(() => renderPosts(env(), firstPosts(10), sel, { parameter: 'ids' }));
    const hundred = await queriesOf(() => renderPosts(env(), firstPosts(N), sel, { parameter: 'ids' }));
    // posts, referenced posts, users, mentioned users, edit chains, media, polls, places, follows, blocks, versions.
    expect(hundred).toBe(11);
    expect(ten).toBe(hundred);
  });

  it('gathers every row the page reaches into the state', async () => {
    const s = await hydratePosts({ repos: counted, viewer: me }, [post(0), post(1), post(2), post(3)], selectionFrom(EVERY_POST_EXPANSION));
    expect([...s.posts.keys()].sort()).toEqual([post(0), post(1), post(2), post(3), quoted(0), quoted(1), quoted(2), quoted(3), parent(0), parent(1), parent(2), parent(3), firstVersion(0)].sort());
    expect(s.users.has(user(1)) && s.users.has(user(4))).toBe(true);
    expect(s.usersByName.get(`user${user(2)}`)?.id).toBe(user(2));
    expect(s.editChains.get(firstVersion(0))).toEqual([firstVersion(0), post(0)]);
    expect(s.media.size).toBe(4);
    expect(s.polls.size).toBe(4);
    expect(s.places.size).toBe(4);
    // The viewer's relations to the authors: follows of protected ones, blocks either way.
    expect(s.relations.follows).toEqual(new Set([followKey(VIEWER, user(1))]));
    expect(s.relations.blocked).toEqual(new Set([user(2), user(3)]));
  });

  it('asks for no row twice: references that are on the page are not loaded again', async () => {
    const sel = selectionFrom({ expansions: ['referenced_tweets.id'] });
    // quoted(1) and parent(1) are on the page already.
    const n = await queriesOf(() => renderPosts({ ...env(), viewer: { userId: null } }, [post(1), quoted(1), parent(1)], sel, LIST));
    expect(n).toBe(2); // the page's posts, their authors (an app-only viewer needs no relations)
  });

  it('needs only the posts and their authors without expansions, app-only', async () => {
    expect(await queriesOf(() => renderPosts({ ...env(), viewer: { userId: null } }, firstPosts(N), selectionFrom({}), LIST))).toBe(3); // + edit chains
  });
});

describe('hydrateUsers', () => {
  it('users with hidden pinned posts cost a fixed number of queries, not one per hidden post', async () => {
    const sel = selectionFrom({ expansions: ['pinned_tweet_id', 'most_recent_tweet_id'], 'user.fields': ['connection_status'] });
    const ten = await queriesOf(() => renderUsers(env(), { ids: firstUsers(10) }, sel, LIST));
    const hundred = await queriesOf(() => renderUsers(env(), { ids: firstUsers(N) }, sel, LIST));
    // users, their posts, follows (connection status and protected authors at once), blocks, edit chains, and the
    // viewer's blocks, mutes and follow requests with the users (connection status).
    expect(hundred).toBe(6);
    expect(ten).toBe(hundred);
  });

  it('reports each pinned post it cannot show, and shows the others', async () => {
    const sel = selectionFrom({ expansions: ['pinned_tweet_id'] });
    const out = await renderUsers(env(), { ids: firstUsers(8) }, sel, LIST);
    expect(out.data.map((u) => u.id)).toEqual(firstUsers(8));
    // Deleted (i % 3 == 0) → not found; protected and not followed (5), blocked either way (2, 3, 6, 7) → not authorized.
    const problems = (out.errors ?? []).map((e) => [e.resource_id, e.title]);
    expect(problems).toEqual([
      [pinned(0), 'Not Found Error'],
      [pinned(2), 'Authorization Error'],
      [pinned(3), 'Not Found Error'],
      [pinned(5), 'Authorization Error'],
      [pinned(6), 'Not Found Error'],
      [pinned(7), 'Authorization Error'],
    ]);
    expect(out.includes?.tweets?.map((t) => t.id)).toEqual([pinned(1), pinned(4)]);
  });

  it('looks users up by username in one query, keyed by what the client sent', async () => {
    const sel = selectionFrom({});
    let rendered: Awaited<ReturnType<typeof renderUsers>> | undefined;
    expect(await queriesOf(async () => (rendered = await renderUsers(env(), { usernames: [`USER${user(0)}`, 'nobody'] }, sel, { parameter: 'usernames' })))).toBe(1);
    expect(rendered!.data.map((u) => u.id)).toEqual([user(0)]);
    expect(rendered!.errors?.[0]).toMatchObject({ value: 'nobody', parameter: 'usernames' });
  });

  it('users asked by name are keyed by name, and known by id once their pinned posts are loaded', async () => {
    const name = `user${user(4)}`;
    const { state, refs } = await hydrateUsers({ repos: counted, viewer: me }, { usernames: [name] }, selectionFrom({}));
    expect(refs).toEqual([{ key: name, user: state.usersByName.get(name) }]);
    expect(refs[0]!.user?.id).toBe(user(4));
    // Users by name, then their pinned posts: the posts' author is that user, not asked for again.
    const sel = selectionFrom({ expansions: ['pinned_tweet_id'] });
    expect(await queriesOf(() => hydrateUsers({ repos: counted, viewer: { userId: null } }, { usernames: [name] }, sel))).toBe(2);
  });
});

describe('single posts', () => {
  it('a subject or a write target: the post, its author and the relations', async () => {
    // The post, its author, and blocks either way (a public author needs no follow check).
    expect(await queriesOf(() => hydrateOnePost({ repos: counted, viewer: me }, post(2)))).toBe(3);
    // A protected author: the follow too, in the same round as the blocks.
    expect(await queriesOf(() => hydrateOnePost({ repos: counted, viewer: me }, post(5)))).toBe(4);
    const blockedAuthor = await judgePost({ repos: counted, viewer: me }, post(2));
    expect(blockedAuthor.verdict).toBe('unauthorized');
    expect((await judgePost({ repos: counted, viewer: me }, post(9))).verdict).toBe('ok');
    expect((await judgePost({ repos: counted, viewer: me }, post(5))).verdict).toBe('unauthorized');
    expect((await judgePost({ repos: counted, viewer: { userId: user(5) } }, post(5))).verdict).toBe('ok');
    expect((await judgePost({ repos: counted, viewer: me }, '42')).verdict).toBe('missing');
  });
});
