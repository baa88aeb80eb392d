/**
 * The write-side domain layer without HTTP: every operation commits its rows, counters and events together or not
 * at all. Events reach the bus only after commit, exactly the ones the change implies, and none when the
 * transaction rolls back; a write failing half-way leaves no counter changed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/db/connect.js';
import { createRepos, type Repos } from '../src/data/index.js';
import type { PostRow, UserRow } from '../src/data/rows.js';
import { newPostRow } from '../src/data/rows.js';
import { LocalBus, type DomainEvent } from '../src/events/bus.js';
import { ManualClock } from '../src/clock.js';
import { Snowflake } from '../src/util/snowflake.js';
import { MediaService } from '../src/media/service.js';
import { FsBlobStore } from '../src/media/blob-store.js';
import { write } from '../src/domain/write.js';
import { acceptFollowRequest, block, follow, mute, unblock, unfollow, unmute } from '../src/domain/graph.js';
import { bookmark, createBookmarkFolder, like, repost, unbookmark, unlike, unrepost } from '../src/domain/engagement.js';
import { createPost, deletePost, hideReply, type PostingContext } from '../src/domain/posting.js';
import { addRules, deleteAllRules, deleteRules } from '../src/domain/stream-rules.js';
import { setMetadata } from '../src/domain/media.js';

const T0 = Date.UTC(2026, 10, 1, 12);
const dir = mkdtempSync(join(tmpdir(), 'roost-domain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ME = '1000';
const YOU = '1001';
const LOCKED = '1002';

function user(id: string, username: string, over: Partial<UserRow> = {}): UserRow {
  return {
    id, username, name: username, description: '', location: null, url: null, profileImageUrl: `https://img.example/${username}.png`,
    profileBannerUrl: null, protected: false, verified: false, verifiedType: 'none', suspended: false, createdAt: T0 - 86_400_000,
    pinnedPostId: null, mostRecentPostId: null, followersCount: 0, followingCount: 0, tweetCount: 0, listedCount: 0, likeCount: 0,
    entities: null, withheld: null, ...over,
  };
}

let store: Store;
let events: DomainEvent[];
let ctx: PostingContext;
let yours: PostRow;

beforeEach(async () => {
  store = await openStore(':memory:');
  const repos = createRepos(store);
  const clock = new ManualClock(T0);
  const ids = new Snowflake(clock, 7);
  const bus = new LocalBus((err) => {
    throw err;
  });
  events = [];
  bus.subscribe((e) => events.push(e));
  const mediaDir = join(dir, String(Math.random()).slice(2));
  ctx = { repos, bus, clock, ids, media: new MediaService(mediaDir, new FsBlobStore(mediaDir), repos, clock, ids) };
  await repos.users.insertMany([user(ME, 'me'), user(YOU, 'you'), user(LOCKED, 'locked', { protected: true })]);
  yours = { ...newPostRow('2000', YOU, T0 - 60_000), text: 'hello @me', entities: { mentions: [{ start: 6, end: 9, username: 'me', id: ME }] } };
  await repos.posts.insertMany([yours]);
  await repos.users.recordNewPost(YOU, yours.id);
  await repos.apps.insertApp({ id: '3000', name: 'app', ownerUserId: ME, consumerKey: 'ck', consumerSecretHash: 'x', bearerGeneration: 0, permission: 'read-write-dm', createdAt: T0 });
});
afterEach(async () => {
  await store.close();
});

const postOf = async (id: string) => (await createRepos(store).posts.byIds([id])).get(id)!;
const userOf = async (id: string) => (await createRepos(store).users.byIds([id])).get(id)!;
const types = () => events.map((e) => e.type);

/** A named write and the types of the events it must publish, in order. */
type Step = [name: string, run: () => Promise<unknown>, expected: string[]];

/** Runs the steps in turn, checking that each publishes exactly its events. */
async function expectEventsOfEach(steps: Step[]): Promise<void> {
  for (const [name, run, expected] of steps) {
    events = [];
    await run();
    expect({ name, events: types() }).toEqual({ name, events: expected });
  }
}

/** Repositories whose `module.method` throws inside transactions: a write failing half-way. */
function failingIn(repos: Repos, module: 'users' | 'posts' | 'mentions' | 'social' | 'attachments' | 'streamRules', method: string): Repos {
  const inject = (r: Repos): Repos => {
    const target = r[module] as unknown as Record<string, unknown>;
    const broken = new Proxy(target, {
      get(t, k) {
        if (k === method) return () => Promise.reject(new Error(`injected failure in ${module}.${method}`));
        const v = Reflect.get(t, k);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
      },
    });
    return { ...r, [module]: broken };
  };
  return { ...repos, transaction: (fn) => repos.transaction((r) => fn(inject(r))) };
}

describe('unit of work', () => {
  it('publishes emitted events only after the transaction commits, in order', async () => {
    let seenInside = -1;
    await write(ctx, async (r, out) => {
      out.emit({ type: 'mute.created', userId: ME, targetId: YOU, at: T0 });
      await r.social.mute(ME, YOU, T0);
      out.emit({ type: 'mute.deleted', userId: ME, targetId: YOU, at: T0 });
      seenInside = events.length;
    });
    expect(seenInside).toBe(0);
    expect(types()).toEqual(['mute.created', 'mute.deleted']);
  });

  it('publishes nothing and keeps nothing when the transaction throws', async () => {
    await expect(
      write(ctx, async (r, out) => {
        await r.posts.adjustCounters(yours.id, { like_count: 5 });
        out.emit({ type: 'like.created', userId: ME, postId: yours.id, at: T0 });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(events).toEqual([]);
    expect((await postOf(yours.id)).likeCount).toBe(0);
  });
});

describe('a write failing half-way leaves no half-applied counters and publishes nothing', () => {
  it('like: the post counter moved, the user counter failed', async () => {
    const broken = { ...ctx, repos: failingIn(ctx.repos, 'users', 'adjustCounters') };
    await expect(like(broken, ME, yours.id)).rejects.toThrow('injected');
    expect((await postOf(yours.id)).likeCount).toBe(0);
    expect(await createRepos(store).social.likeCountOf(yours.id)).toBe(0);
    expect(events).toEqual([]);
    expect(await like(ctx, ME, yours.id)).toBe(true);
    expect((await postOf(yours.id)).likeCount).toBe(1);
    expect((await userOf(ME)).likeCount).toBe(1);
  });

  it('follow: the follower counter moved, the followee counter failed', async () => {
    let calls = 0;
    const repos = ctx.repos;
    const once: Repos = {
      ...repos,
      transaction: (fn) =>
        repos.transaction((r) =>
          fn({
            ...r,
            users: new Proxy(r.users, {
              get(t, k) {
                const v = Reflect.get(t, k) as (...a: unknown[]) => Promise<void>;
                if (k !== 'adjustCounters') return typeof v === 'function' ? v.bind(t) : v;
                return (...a: unknown[]) => (++calls === 2 ? Promise.reject(new Error('injected second counter')) : v.apply(t, a));
              },
            }),
          }),
        ),
    };
    await expect(follow({ ...ctx, repos: once }, ME, YOU)).rejects.toThrow('injected');
    expect(calls).toBe(2);
    expect((await userOf(ME)).followingCount).toBe(0);
    expect((await userOf(YOU)).followersCount).toBe(0);
    expect(await createRepos(store).social.isFollowing(ME, YOU)).toBe(false);
    expect(events).toEqual([]);
  });

  it('reply: post, tweet_count and the parent reply_count all roll back when mentions fail', async () => {
    const broken = { ...ctx, repos: failingIn(ctx.repos, 'mentions', 'insert') };
    await expect(createPost(broken, ME, { text: 'a reply to @you', reply: { in_reply_to_tweet_id: yours.id } })).rejects.toThrow('injected');
    expect((await postOf(yours.id)).replyCount).toBe(0);
    expect((await userOf(ME)).tweetCount).toBe(0);
    expect(await createRepos(store).posts.count()).toBe(1);
    expect(events).toEqual([]);
  });

  it('repost: no repost row, no counters, when the user counter fails', async () => {
    const broken = { ...ctx, repos: failingIn(ctx.repos, 'users', 'adjustCounters') };
    await expect(repost(broken, ME, yours.id)).rejects.toThrow('injected');
    expect((await postOf(yours.id)).retweetCount).toBe(0);
    expect(await createRepos(store).social.liveRepostBy(ME, yours.id)).toBeNull();
    expect(events).toEqual([]);
  });

  it('delete: nothing deleted and no counter moved when resetting most_recent_post_id fails', async () => {
    const broken = { ...ctx, repos: failingIn(ctx.repos, 'users', 'setMostRecentPost') };
    await expect(deletePost(broken, YOU, yours.id)).rejects.toThrow('injected');
    expect((await postOf(yours.id)).deleted).toBe(false);
    expect((await userOf(YOU)).tweetCount).toBe(1);
    expect(events).toEqual([]);
  });

  it('media metadata: the upload keeps its metadata when the alt text cannot be written', async () => {
    const up = await ctx.media.init(ME, { mediaCategory: 'tweet_image', mediaType: 'image/png', totalBytes: 10 });
    await createRepos(store).mediaUploads.finalize(up.id, { finalizedAt: T0, processMs: 0, outcome: 'succeeded', error: null, blobKey: null, size: 10, probe: null, expiresAt: T0 + 1000 });
    const broken = { ...ctx, repos: failingIn(ctx.repos, 'attachments', 'setAltText') };
    await expect(setMetadata(broken, ME, up.id, { alt_text: { text: 'a cat' } })).rejects.toThrow('injected');
    expect((await createRepos(store).mediaUploads.byId(up.id))!.metadata).toBeNull();
  });
});

describe('each operation publishes exactly the events of its change', () => {
  it('likes, reposts, bookmarks', async () => {
    const steps: Step[] = [
      ['like', () => like(ctx, ME, yours.id), ['like.created']],
      ['like again', () => like(ctx, ME, yours.id), []],
      ['unlike', () => unlike(ctx, ME, yours.id), ['like.deleted']],
      ['unlike again', () => unlike(ctx, ME, yours.id), []],
      ['repost', () => repost(ctx, ME, yours.id), ['repost.created']],
      ['repost again', () => repost(ctx, ME, yours.id), []],
      ['unrepost', () => unrepost(ctx, ME, yours.id), ['repost.deleted']],
      ['unrepost again', () => unrepost(ctx, ME, yours.id), []],
      ['bookmark', () => bookmark(ctx, ME, yours.id, null), ['bookmark.created']],
      ['bookmark again', () => bookmark(ctx, ME, yours.id, null), []],
      ['unbookmark', () => unbookmark(ctx, ME, yours.id), ['bookmark.deleted']],
      ['folder', () => createBookmarkFolder(ctx, ME, 'later'), []],
    ];
    await expectEventsOfEach(steps);
    const p = await postOf(yours.id);
    expect([p.likeCount, p.retweetCount, p.bookmarkCount]).toEqual([0, 0, 0]);
  });

  it('follows, requests, blocks and mutes', async () => {
    const steps: Step[] = [
      ['follow', () => follow(ctx, ME, YOU), ['follow.created']],
      ['follow again', () => follow(ctx, ME, YOU), []],
      ['follow back', () => follow(ctx, YOU, ME), ['follow.created']],
      ['request', () => follow(ctx, ME, LOCKED), ['follow.requested']],
      ['request again', () => follow(ctx, ME, LOCKED), []],
      ['accept', () => acceptFollowRequest(ctx, ME, LOCKED), ['follow.created']],
      ['accept again', () => acceptFollowRequest(ctx, ME, LOCKED), []],
      ['unfollow', () => unfollow(ctx, ME, LOCKED), ['follow.deleted']],
      ['block severs both follows', () => block(ctx, ME, YOU), ['follow.deleted', 'follow.deleted', 'block.created']],
      ['block again', () => block(ctx, ME, YOU), []],
      ['unblock', () => unblock(ctx, ME, YOU), ['block.deleted']],
      ['mute', () => mute(ctx, ME, YOU), ['mute.created']],
      ['unmute', () => unmute(ctx, ME, YOU), ['mute.deleted']],
      ['unmute again', () => unmute(ctx, ME, YOU), []],
    ];
    await expectEventsOfEach(steps);
    const [me, you, locked] = await Promise.all([userOf(ME), userOf(YOU), userOf(LOCKED)]);
    expect([me.followersCount, me.followingCount, you.followersCount, you.followingCount, locked.followersCount]).toEqual([0, 0, 0, 0, 0]);
  });

  it('posts: create, edit, hide a reply, delete a chain', async () => {
    const created = await createPost(ctx, ME, { text: 'first words' });
    expect(types()).toEqual(['post.created']);
    events = [];
    const edited = await createPost(ctx, ME, { text: 'first words, fixed', edit_options: { previous_post_id: created.id } });
    expect(edited.editHistory).toEqual([created.id, edited.id]);
    expect(events).toEqual([{ type: 'post.edited', postId: edited.id, previousId: created.id, authorId: ME, at: T0 }]);
    events = [];
    const reply = await createPost(ctx, ME, { text: 'replying to @you', reply: { in_reply_to_tweet_id: yours.id } });
    expect((await postOf(yours.id)).replyCount).toBe(1);
    events = [];
    expect(await hideReply(ctx, YOU, reply.id, true)).toEqual({ hidden: true });
    expect(await hideReply(ctx, YOU, reply.id, true)).toEqual({ hidden: true });
    expect(types()).toEqual(['post.hidden']);
    events = [];
    expect(await deletePost(ctx, ME, edited.id)).toBe(true);
    expect(events.map((e) => (e.type === 'post.deleted' ? e.postId : e.type))).toEqual([created.id, edited.id]);
    events = [];
    expect(await deletePost(ctx, ME, created.id)).toBe(false);
    expect(events).toEqual([]);
    expect((await userOf(ME)).tweetCount).toBe(1);
  });

  it('duplicate content: the same text within the 24-hour window is refused however many posts came after it', async () => {
    await createPost(ctx, ME, { text: 'the first of many' });
    for (let i = 0; i < 150; i++) await createPost(ctx, ME, { text: `filler ${i}` });
    await expect(createPost(ctx, ME, { text: 'the first of many' })).rejects.toThrow('duplicate content');
    // Another author's identical text, and a text differing only in case, are not duplicates.
    await expect(createPost(ctx, YOU, { text: 'the first of many' })).resolves.toBeDefined();
    await expect(createPost(ctx, ME, { text: 'The first of many' })).resolves.toBeDefined();
    // A day later the window has passed.
    (ctx.clock as ManualClock).advance(24 * 60 * 60 * 1000 + 1);
    await expect(createPost(ctx, ME, { text: 'the first of many' })).resolves.toBeDefined();
  });

  it('a refused or rejected write publishes nothing', async () => {
    await expect(createPost(ctx, ME, { text: 'hello @me' })).resolves.toBeDefined();
    events = [];
    await expect(createPost(ctx, ME, { text: 'hello @me' })).rejects.toThrow('duplicate content');
    expect(await like(ctx, ME, '999999')).toEqual({ refused: 'post-missing', id: '999999' });
    expect(await follow(ctx, ME, '999999')).toEqual({ refused: 'user-missing', id: '999999' });
    await expect(follow(ctx, ME, ME)).rejects.toThrow('You cannot follow yourself.');
    expect(events).toEqual([]);
  });

  it('stream rules: one change event per stored change, none for dry runs, duplicates or no-ops', async () => {
    const s = { tier: 'self_serve' as const, maxRules: 3 };
    const dry = await addRules(ctx, s, '3000', [{ value: 'cats' }], true);
    expect(dry.created.map((r) => r.value)).toEqual(['cats']);
    expect(types()).toEqual([]);
    const added = await addRules(ctx, s, '3000', [{ value: 'cats' }, { value: 'dogs', tag: 'd' }, { value: 'cats' }], false);
    expect(added.created.map((r) => r.value)).toEqual(['cats', 'dogs']);
    expect(added.issues).toEqual([{ kind: 'duplicate', value: 'cats', id: added.created[0]!.id }]);
    expect(types()).toEqual(['stream.rules.changed']);
    events = [];
    expect((await addRules(ctx, s, '3000', [{ value: 'birds' }, { value: 'fish' }], false)).issues).toEqual([{ kind: 'cap', cap: 3 }]);
    expect((await addRules(ctx, s, '3000', [{ value: 'cats' }], false)).created).toEqual([]);
    expect((await deleteRules(ctx, '3000', ['42'], ['nope'], false)).missing).toEqual([
      { param: 'ids', value: '42' },
      { param: 'values', value: 'nope' },
    ]);
    expect(types()).toEqual([]);
    expect((await deleteRules(ctx, '3000', [], ['dogs'], false)).deleted).toBe(1);
    expect(await deleteAllRules(ctx, '3000', true)).toBe(1);
    expect(await deleteAllRules(ctx, '3000', false)).toBe(1);
    expect(await deleteAllRules(ctx, '3000', false)).toBe(0);
    expect(types()).toEqual(['stream.rules.changed', 'stream.rules.changed']);
  });
});
