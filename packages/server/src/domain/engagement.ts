/**
 * Engagement with posts: likes, reposts and bookmarks (with folders). Each operation runs in one unit of work
 * (domain/write.ts), its checks included (so they see the writes queued before it); a post's like/retweet/bookmark counters and the user's like/tweet counters change only when
 * the edge (or repost row) was actually inserted or deleted, so they stay exact under concurrency.
 */
import type { Repos } from '../data/index.js';
import { newPostRow, type PostEntities, type PostRow, type UserRow } from '../data/rows.js';
import type { BookmarkFolderRow } from '../data/social.js';
import { Forbidden } from '../errors.js';
import { judgePost } from '../pipeline/render.js';
import { refuse, write, type DomainContext, type Refusal } from './write.js';

/**
 * The post a like/repost/bookmark targets, as the acting user sees it: missing, deleted or suspended-author posts
 * are `post-missing`; posts of protected accounts the user may not see, or of an account that blocks (or is
 * blocked by) the user, are `post-unauthorized`.
 */
export async function targetPost(repos: Repos, me: string, postId: string): Promise<{ post: PostRow; author: UserRow } | Refusal> {
  // The rules module decides, as for every read: missing, protected without a follow, blocked either way.
  const { verdict, post, author } = await judgePost({ repos, viewer: { userId: me } }, postId);
  if (verdict === 'missing') return refuse('post-missing', postId);
  if (verdict === 'unauthorized') return refuse('post-unauthorized', postId);
  return { post: post!, author: author! };
}

/** True when the like is new. Idempotent. */
export async function like(ctx: DomainContext, me: string, postId: string): Promise<boolean | Refusal> {
  const at = ctx.clock.now();
  return write(ctx, async (r, out) => {
    const target = await targetPost(r, me, postId);
    if ('refused' in target) return target;
    if (!(await r.social.like(me, postId, at))) return false;
    await r.posts.adjustCounters(postId, { like_count: 1 });
    await r.users.adjustCounters(me, { like_count: 1 });
    out.emit({ type: 'like.created', userId: me, postId, at });
    return true;
  });
}

/** True when a like was removed. Works for posts deleted since they were liked. Idempotent. */
export async function unlike(ctx: DomainContext, me: string, postId: string): Promise<boolean> {
  const at = ctx.clock.now();
  return write(ctx, async (r, out) => {
    if (!(await r.social.unlike(me, postId))) return false;
    await r.posts.adjustCounters(postId, { like_count: -1 });
    await r.users.adjustCounters(me, { like_count: -1 });
    out.emit({ type: 'like.deleted', userId: me, postId, at });
    return true;
  });
}

/** Entities of `RT @author: <text>`: the author mention, then the original's entities moved past the prefix. */
function repostEntities(author: UserRow, orig: PostRow, shift: number): PostEntities {
  const out: PostEntities = { mentions: [{ start: 3, end: 4 + author.username.length, username: author.username, id: author.id }] };
  const e = orig.entities ?? {};
  const move = <T extends { start: number; end: number }>(xs: T[] | undefined) => xs?.map((x) => ({ ...x, start: x.start + shift, end: x.end + shift }));
  if (e.urls) out.urls = move(e.urls);
  if (e.hashtags) out.hashtags = move(e.hashtags);
  if (e.cashtags) out.cashtags = move(e.cashtags);
  if (e.mentions) out.mentions!.push(...move(e.mentions)!);
  if (e.annotations) out.annotations = move(e.annotations);
  return out;
}

/**
 * A repost is a posts row (`RT @user: …`). Reposting twice answers the existing repost; reposting a repost reposts
 * its original; protected accounts' posts cannot be reposted (not even by approved followers or the author, as on
 * X). `made`: this call created the repost.
 */
export async function repost(ctx: DomainContext, me: string, postId: string): Promise<{ id: string; made: boolean } | Refusal> {
  const at = ctx.clock.now();
  return write(ctx, async (r, out) => {
    let target = await targetPost(r, me, postId);
    if (!('refused' in target) && target.post.repostedPostId) target = await targetPost(r, me, target.post.repostedPostId);
    if ('refused' in target) return target;
    const { post: orig, author } = target;
    if (author.protected) throw new Forbidden('You cannot retweet a Tweet from a protected account.');
    // No unique key can make a repost idempotent (it is a posts row): serialise the user's reposts instead.
    await r.social.lockUser(me);
    const existing = await r.social.liveRepostBy(me, orig.id);
    if (existing) return { id: existing, made: false };
    const id = ctx.ids.next();
    const prefix = `RT @${author.username}: `;
    await r.posts.insertMany([
      {
        ...newPostRow(id, me, at),
        text: prefix + orig.text,
        repostedPostId: orig.id,
        lang: orig.lang,
        possiblySensitive: orig.possiblySensitive,
        entities: repostEntities(author, orig, Array.from(prefix).length),
      },
    ]);
    await r.posts.adjustCounters(orig.id, { retweet_count: 1 });
    await r.users.adjustCounters(me, { tweet_count: 1 });
    out.emit({ type: 'repost.created', userId: me, postId: orig.id, repostId: id, at });
    return { id, made: true };
  });
}

/** Marks the user's live repost of the post deleted; the repost's id, or null when there was none. Idempotent. */
export async function unrepost(ctx: DomainContext, me: string, postId: string): Promise<string | null> {
  const at = ctx.clock.now();
  return write(ctx, async (r, out) => {
    await r.social.lockUser(me);
    const id = await r.social.liveRepostBy(me, postId);
    if (!id || !(await r.posts.markRepostDeleted(id))) return null;
    await r.posts.adjustCounters(postId, { retweet_count: -1 });
    await r.users.adjustCounters(me, { tweet_count: -1 });
    out.emit({ type: 'repost.deleted', userId: me, postId, repostId: id, at });
    return id;
  });
}

/**
 * Bookmarks a post; with `folderId` (one of the user's folders) it is filed there (an existing bookmark moves).
 * True when the bookmark is new. Idempotent.
 */
export async function bookmark(ctx: DomainContext, me: string, postId: string, folderId: string | null): Promise<boolean | Refusal> {
  const at = ctx.clock.now();
  return write(ctx, async (r, out) => {
    if (folderId !== null) {
      const folder = (await r.social.foldersByIds([folderId])).get(folderId);
      if (!folder || folder.userId !== me) return refuse('folder-missing', folderId);
    }
    const target = await targetPost(r, me, postId);
    if ('refused' in target) return target;
    if (!(await r.social.bookmark(me, postId, at, folderId))) return false;
    await r.posts.adjustCounters(postId, { bookmark_count: 1 });
    out.emit({ type: 'bookmark.created', userId: me, postId, at });
    return true;
  });
}

/** True when a bookmark was removed. Idempotent. */
export async function unbookmark(ctx: DomainContext, me: string, postId: string): Promise<boolean> {
  const at = ctx.clock.now();
  return write(ctx, async (r, out) => {
    if (!(await r.social.unbookmark(me, postId))) return false;
    await r.posts.adjustCounters(postId, { bookmark_count: -1 });
    out.emit({ type: 'bookmark.deleted', userId: me, postId, at });
    return true;
  });
}

/** A new bookmark folder of the user. Folders publish no event (no consumer follows them). */
export async function createBookmarkFolder(ctx: DomainContext, me: string, name: string): Promise<BookmarkFolderRow> {
  const folder = { id: ctx.ids.next(), userId: me, name, createdAt: ctx.clock.now() };
  await write(ctx, (r) => r.social.createFolder(folder));
  return folder;
}
