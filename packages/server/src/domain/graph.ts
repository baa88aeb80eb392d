/**
 * The social graph: follows (with requests to protected accounts and their acceptance), blocks and mutes. Each
 * operation runs in one unit of work (domain/write.ts), checks included; followers_count/following_count change only when a follow
 * edge was actually inserted or deleted, so they stay exact under concurrency.
 */
import type { Repos } from '../data/index.js';
import type { UserRow } from '../data/rows.js';
import { Forbidden, InvalidRequest } from '../errors.js';
import { refuse, write, type DomainContext, type Outbox, type Refusal } from './write.js';

/** The user a follow/mute/block targets: unknown or suspended accounts are refused. */
export async function targetUser(repos: Repos, userId: string): Promise<UserRow | Refusal> {
  const u = (await repos.users.byIds([userId])).get(userId);
  if (!u) return refuse('user-missing', userId);
  if (u.suspended) return refuse('user-suspended', userId);
  return u;
}

function notSelf(me: string, targetId: string, action: 'follow' | 'block' | 'mute'): void {
  if (targetId === me) throw InvalidRequest.one('target_user_id', [targetId], `You cannot ${action} yourself.`);
}

/**
 * A write of `me` at another user (block, mute) in one unit of work at the clock's current time: refused when the
 * target is missing or suspended — checked inside the unit, so a batch sees the state earlier units left — else
 * `apply`.
 */
async function atTarget<T>(
  ctx: DomainContext,
  me: string,
  targetId: string,
  action: 'block' | 'mute',
  apply: (r: Repos, out: Outbox, at: number) => Promise<T>,
): Promise<T | Refusal> {
  notSelf(me, targetId, action);
  const at = ctx.clock.now();
  return write(ctx, async (r, out) => {
    const target = await targetUser(r, targetId);
    if ('refused' in target) return target;
    return apply(r, out, at);
  });
}

/** Adds a follow edge and its counters; true when it is new. Runs inside the caller's transaction. */
async function addFollow(r: Repos, out: Outbox, followerId: string, followeeId: string, at: number): Promise<boolean> {
  if (!(await r.social.follow(followerId, followeeId, at))) return false;
  await r.users.adjustCounters(followerId, { following_count: 1 });
  await r.users.adjustCounters(followeeId, { followers_count: 1 });
  out.emit({ type: 'follow.created', followerId, followeeId, at });
  return true;
}

/** Removes a follow edge and its counters; true when there was one. Runs inside the caller's transaction. */
async function removeFollow(r: Repos, out: Outbox, followerId: string, followeeId: string, at: number): Promise<boolean> {
  if (!(await r.social.unfollow(followerId, followeeId))) return false;
  await r.users.adjustCounters(followerId, { following_count: -1 });
  await r.users.adjustCounters(followeeId, { followers_count: -1 });
  out.emit({ type: 'follow.deleted', followerId, followeeId, at });
  return true;
}

/** `followed`/`requested`: this call changed the graph; `following`/`pending`: it already was so. */
export type FollowOutcome = 'followed' | 'requested' | 'following' | 'pending';

/** Follows, or for a protected account files a follow request (counters unchanged until accepted). Idempotent. */
export async function follow(ctx: DomainContext, me: string, targetId: string): Promise<FollowOutcome | Refusal> {
  notSelf(me, targetId, 'follow');
  const at = ctx.clock.now();
  return write(ctx, async (r, out): Promise<FollowOutcome | Refusal> => {
    const target = await targetUser(r, targetId);
    if ('refused' in target) return target;
    if (await r.social.isBlocking(targetId, me)) throw new Forbidden('You have been blocked from following this account at the request of the user.');
    if (await r.social.isBlocking(me, targetId)) throw new Forbidden('You cannot follow an account you have blocked.');
    if (await r.social.isFollowing(me, targetId)) return 'following';
    if (target.protected) {
      if (!(await r.social.requestFollow(me, targetId, at))) return 'pending';
      out.emit({ type: 'follow.requested', followerId: me, followeeId: targetId, at });
      return 'requested';
    }
    return (await addFollow(r, out, me, targetId, at)) ? 'followed' : 'following';
  });
}

/**
 * Accepts a pending follow request (the protected account approves it): the request becomes a follow, with its
 * counters. X API v2 has no endpoint for this; it exists for the console and for tests. True when a follow was
 * made.
 */
export async function acceptFollowRequest(ctx: DomainContext, requesterId: string, targetId: string): Promise<boolean> {
  const at = ctx.clock.now();
  return write(ctx, async (r, out) => {
    if (!(await r.social.withdrawFollowRequest(requesterId, targetId))) return false;
    return addFollow(r, out, requesterId, targetId, at);
  });
}

/** Unfollows, and withdraws a pending request. True when a follow was removed. Idempotent. */
export async function unfollow(ctx: DomainContext, me: string, targetId: string): Promise<boolean> {
  const at = ctx.clock.now();
  return write(ctx, async (r, out) => {
    await r.social.withdrawFollowRequest(me, targetId);
    return removeFollow(r, out, me, targetId, at);
  });
}

/**
 * Blocks: the block edge, and follows and follow requests both ways removed (with their counters). The severed
 * follows are published as `follow.deleted` before `block.created`, as consumers of follows expect. True when the
 * block is new.
 */
export async function block(ctx: DomainContext, me: string, targetId: string): Promise<boolean | Refusal> {
  return atTarget(ctx, me, targetId, 'block', async (r, out, at) => {
    if (!(await r.social.block(me, targetId, at))) return false;
    for (const [a, b] of [
      [me, targetId],
      [targetId, me],
    ] as const) {
      await removeFollow(r, out, a, b, at);
      await r.social.withdrawFollowRequest(a, b);
    }
    out.emit({ type: 'block.created', userId: me, targetId, at });
    return true;
  });
}

/** True when a block was removed. Idempotent. */
export async function unblock(ctx: DomainContext, me: string, targetId: string): Promise<boolean> {
  const at = ctx.clock.now();
  return write(ctx, async (r, out) => {
    if (!(await r.social.unblock(me, targetId))) return false;
    out.emit({ type: 'block.deleted', userId: me, targetId, at });
    return true;
  });
}

/** True when the mute is new. Idempotent. */
export async function mute(ctx: DomainContext, me: string, targetId: string): Promise<boolean | Refusal> {
  return atTarget(ctx, me, targetId, 'mute', async (r, out, at) => {
    if (!(await r.social.mute(me, targetId, at))) return false;
    out.emit({ type: 'mute.created', userId: me, targetId, at });
    return true;
  });
}

/** True when a mute was removed. Idempotent. */
export async function unmute(ctx: DomainContext, me: string, targetId: string): Promise<boolean> {
  const at = ctx.clock.now();
  return write(ctx, async (r, out) => {
    if (!(await r.social.unmute(me, targetId))) return false;
    out.emit({ type: 'mute.deleted', userId: me, targetId, at });
    return true;
  });
}
