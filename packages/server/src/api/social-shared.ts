/**
 * What the engagement and graph writes share: the target post or user a write may act on, and the follow-edge
 * changes that keep followers_count/following_count exact (used by follow, unfollow, block and request accept).
 */
import type { OperationRequest, OperationResult } from './operation.js';
import type { Repos } from '../data/index.js';
import type { Context } from '../context.js';
import type { PostRow, UserRow } from '../data/rows.js';
import { notAuthorized, notFound, suspended } from '../pipeline/problems.js';
import { postVerdict } from '../pipeline/rules.js';

/**
 * The post a like/repost/bookmark targets, as the acting user sees it: missing, deleted or suspended-author
 * posts are a not-found Problem; posts of protected accounts the user may not see, or of an account that
 * blocks (or is blocked by) the user, are a not-authorized Problem. Both ride in a 200 with only `errors`
 * (FACTS §1.2), named by the body member `tweet_id`.
 */
export async function targetPost(req: OperationRequest, me: string, postId: string): Promise<{ post: PostRow; author: UserRow } | OperationResult> {
  const repos = req.ctx.repos;
  const post = (await repos.posts.byIds([postId])).get(postId);
  const author = post && (await repos.users.byIds([post.authorId])).get(post.authorId);
  const follows = author?.protected && author.id !== me ? await repos.edges.followPairs([[me, author.id]]) : new Set<string>();
  const v = postVerdict({ userId: me }, post, author, { follows });
  if (v === 'missing') return { body: { errors: [notFound('tweet', 'tweet_id', postId)] } };
  if (v === 'unauthorized' || (author!.id !== me && (await repos.social.blockedEitherWay(me, author!.id)))) {
    return { body: { errors: [notAuthorized('tweet', 'tweet_id', postId, 'data')] } };
  }
  return { post: post!, author: author! };
}

/** The user a follow/mute/block targets: unknown → not-found Problem, suspended → X's suspended Problem. */
export async function targetUser(req: OperationRequest, userId: string, parameter = 'target_user_id'): Promise<UserRow | OperationResult> {
  const u = (await req.ctx.repos.users.byIds([userId])).get(userId);
  if (!u) return { body: { errors: [notFound('user', parameter, userId)] } };
  if (u.suspended) return { body: { errors: [suspended(parameter, userId)] } };
  return u;
}

/** Adds a follow edge and its counters; true when it is new. Call inside a transaction. */
export async function addFollow(r: Repos, followerId: string, followeeId: string, at: number): Promise<boolean> {
  if (!(await r.social.follow(followerId, followeeId, at))) return false;
  await r.users.adjustCounters(followerId, { following_count: 1 });
  await r.users.adjustCounters(followeeId, { followers_count: 1 });
  return true;
}

/** Removes a follow edge and its counters; true when there was one. Call inside a transaction. */
export async function removeFollow(r: Repos, followerId: string, followeeId: string): Promise<boolean> {
  if (!(await r.social.unfollow(followerId, followeeId))) return false;
  await r.users.adjustCounters(followerId, { following_count: -1 });
  await r.users.adjustCounters(followeeId, { followers_count: -1 });
  return true;
}

/**
 * Accepts a pending follow request (the protected account approves it): the request becomes a follow, with its
 * counters. X API v2 has no endpoint for this; it exists for the console and for tests. True when a follow was
 * made.
 */
export async function acceptFollowRequest(ctx: Context, requesterId: string, targetId: string): Promise<boolean> {
  const at = ctx.clock.now();
  const made = await ctx.repos.transaction(async (r) => {
    if (!(await r.social.withdrawFollowRequest(requesterId, targetId))) return false;
    return addFollow(r, requesterId, targetId, at);
  });
  if (made) ctx.bus.publish({ type: 'follow.created', followerId: requesterId, followeeId: targetId, at });
  return made;
}

/**
 * Blocks `targetId` for `me`: the block edge, and follows and follow requests both ways removed (with their
 * counters). True when the block is new.
 */
export async function block(ctx: Context, me: string, targetId: string): Promise<boolean> {
  const at = ctx.clock.now();
  const removed: [string, string][] = [];
  const made = await ctx.repos.transaction(async (r) => {
    if (!(await r.social.block(me, targetId, at))) return false;
    for (const [a, b] of [
      [me, targetId],
      [targetId, me],
    ] as const) {
      if (await removeFollow(r, a, b)) removed.push([a, b]);
      await r.social.withdrawFollowRequest(a, b);
    }
    return true;
  });
  for (const [a, b] of removed) ctx.bus.publish({ type: 'follow.deleted', followerId: a, followeeId: b, at });
  if (made) ctx.bus.publish({ type: 'block.created', userId: me, targetId, at });
  return made;
}

export async function unblock(ctx: Context, me: string, targetId: string): Promise<boolean> {
  const at = ctx.clock.now();
  const removed = await ctx.repos.transaction((r) => r.social.unblock(me, targetId));
  if (removed) ctx.bus.publish({ type: 'block.deleted', userId: me, targetId, at });
  return removed;
}
