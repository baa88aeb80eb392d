/**
 * Lists: creating, updating and deleting them (their owner only), their members, and users following and pinning
 * them. Each operation runs in one unit of work (domain/write.ts) that first locks the list's row, so the writes
 * to one list apply one after another: `member_count`, `follower_count` and the members' `listed_count` change only
 * when an edge was really inserted or deleted, and stay exact under concurrency. Lock order is always the list,
 * then users, so two writes never wait on each other in a circle.
 *
 * `listed_count` counts the public lists a user is a member of: a private list shows in nobody's counters (it
 * exists only for its owner), so making a list private or public moves the counter of each of its members, and
 * making it private also drops the follows and pins of everyone but the owner, who can no longer see it.
 *
 * Who may see a list is pipeline/rules.ts's (`listVerdict`, through `judgeList`): a list the caller may not see is
 * refused as X refuses a missing one, whoever asks; a visible list that is not the caller's is a 403 for the
 * writes only its owner may make. X's limits (its documentation; FACTS is silent): 1,000 lists per owner, 5,000
 * members per list, 5 pinned lists per user.
 */
import type { Repos } from '../data/index.js';
import type { ListRow } from '../data/rows.js';
import { Forbidden, InvalidRequest } from '../errors.js';
import { judgeList, judgeUser } from '../pipeline/render.js';
import { listScope } from '../pipeline/rules.js';
import { refuse, write, type DomainContext, type Outbox, type Refusal } from './write.js';

export const MAX_LISTS_PER_OWNER = 1000;
export const MAX_LIST_MEMBERS = 5000;
export const MAX_PINNED_LISTS = 5;

export interface ListInput {
  name?: string;
  description?: string;
  private?: boolean;
}

/** X refuses names made of spaces only (the contract already bounds the length to 1–25). */
function checkName(name: string | undefined): void {
  if (name !== undefined && name.trim() === '') throw InvalidRequest.one('name', [name], 'The `name` of a List cannot be blank.');
}

type ListWrite<T> = (r: Repos, out: Outbox, list: ListRow) => Promise<T>;

/**
 * A write on a list the caller may see: one unit of work that first locks the list's row and judges it for the
 * caller; a list the caller may not see is refused as X refuses a missing one.
 */
function onVisibleList<T>(ctx: DomainContext, me: string, listId: string, fn: ListWrite<T>): Promise<T | Refusal> {
  return write(ctx, async (r, out) => {
    await r.lists.lock(listId);
    const { verdict, list } = await judgeList({ repos: r, viewer: { userId: me } }, listId);
    if (verdict !== 'ok') return refuse(verdict === 'missing' ? 'list-missing' : 'list-unauthorized', listId);
    return fn(r, out, list!);
  });
}

/** A write only the list's owner may make: `onVisibleList`, and X's 403 when the caller sees the list but does not own it. */
function onOwnList<T>(ctx: DomainContext, me: string, listId: string, action: string, fn: ListWrite<T>): Promise<T | Refusal> {
  return onVisibleList(ctx, me, listId, (r, out, list) => {
    if (list.ownerId !== me) throw new Forbidden(`You are not allowed to ${action} this List.`);
    return fn(r, out, list);
  });
}

export async function createList(ctx: DomainContext, me: string, input: ListInput & { name: string }): Promise<ListRow> {
  checkName(input.name);
  const at = ctx.clock.now();
  const row: ListRow = {
    id: ctx.ids.next(),
    ownerId: me,
    name: input.name,
    description: input.description ?? '',
    private: input.private ?? false,
    memberCount: 0,
    followerCount: 0,
    createdAt: at,
  };
  return write(ctx, async (r, out) => {
    // Serialises the owner's list creations, so two concurrent ones cannot both pass the cap.
    await r.social.lockUser(me);
    if ((await r.lists.ownedCount(me)) >= MAX_LISTS_PER_OWNER) throw new Forbidden(`You cannot own more than ${MAX_LISTS_PER_OWNER} Lists.`);
    await r.lists.insertMany([row]);
    out.emit({ type: 'list.created', listId: row.id, ownerId: me, at });
    return row;
  });
}

/** Changes name, description or privacy. True once applied. */
export async function updateList(ctx: DomainContext, me: string, listId: string, patch: ListInput): Promise<true | Refusal> {
  checkName(patch.name);
  const at = ctx.clock.now();
  return onOwnList<true>(ctx, me, listId, 'update', async (r, out, list) => {
    await r.lists.update(listId, patch);
    if (patch.private !== undefined && patch.private !== list.private) {
      await r.users.adjustCountersOf(await r.lists.memberIds(listId), { listed_count: patch.private ? -1 : 1 });
      if (patch.private) {
        const dropped = await r.lists.dropOthers(listId, me);
        await r.lists.adjustCounters(listId, { follower_count: -dropped });
      }
    }
    out.emit({ type: 'list.updated', listId, ownerId: me, at });
    return true;
  });
}

/** Deletes the list with its members, followers and pins. True when it was deleted. */
export async function deleteList(ctx: DomainContext, me: string, listId: string): Promise<true | Refusal> {
  const at = ctx.clock.now();
  return onOwnList<true>(ctx, me, listId, 'delete', async (r, out, list) => {
    if (!list.private) await r.users.adjustCountersOf(await r.lists.memberIds(listId), { listed_count: -1 });
    await r.lists.delete(listId);
    out.emit({ type: 'list.deleted', listId, ownerId: me, at });
    return true;
  });
}

/**
 * Adds a member (idempotent). The owner may list anyone they may reach: not across a block either way, a protected
 * account only when they follow it (X's 403 otherwise).
 */
export async function addMember(ctx: DomainContext, me: string, listId: string, userId: string): Promise<true | Refusal> {
  const at = ctx.clock.now();
  return onOwnList<true | Refusal>(ctx, me, listId, 'add members to', async (r, out, list) => {
    const { verdict } = await judgeUser({ repos: r, viewer: { userId: me } }, userId);
    if (verdict === 'missing') return refuse('user-missing', userId);
    if (verdict === 'suspended') return refuse('user-suspended', userId);
    if (verdict === 'unauthorized') throw new Forbidden('You are not allowed to add this user to this List.');
    if (await r.lists.isMember(listId, userId)) return true;
    if (list.memberCount >= MAX_LIST_MEMBERS) throw new Forbidden(`A List cannot have more than ${MAX_LIST_MEMBERS} members.`);
    if (!(await r.lists.addMember(listId, userId, at))) return true;
    await r.lists.adjustCounters(listId, { member_count: 1 });
    if (!list.private) await r.users.adjustCounters(userId, { listed_count: 1 });
    out.emit({ type: 'list.member.added', listId, userId, at });
    return true;
  });
}

/** Removes a member (idempotent). True once the user is not a member. */
export async function removeMember(ctx: DomainContext, me: string, listId: string, userId: string): Promise<true | Refusal> {
  const at = ctx.clock.now();
  return onOwnList<true>(ctx, me, listId, 'remove members from', async (r, out, list) => {
    if (!(await r.lists.removeMember(listId, userId))) return true;
    await r.lists.adjustCounters(listId, { member_count: -1 });
    if (!list.private) await r.users.adjustCounters(userId, { listed_count: -1 });
    out.emit({ type: 'list.member.removed', listId, userId, at });
    return true;
  });
}

/** Follows a list the caller may see and does not own (idempotent). */
export async function followList(ctx: DomainContext, me: string, listId: string): Promise<true | Refusal> {
  const at = ctx.clock.now();
  return onVisibleList<true>(ctx, me, listId, async (r, out, list) => {
    if (list.ownerId === me) throw InvalidRequest.one('list_id', [listId], 'You cannot follow a List you own.');
    if (!(await r.lists.follow(me, listId, at))) return true;
    await r.lists.adjustCounters(listId, { follower_count: 1 });
    out.emit({ type: 'list.followed', listId, userId: me, at });
    return true;
  });
}

/**
 * Stops following (idempotent). Whatever the list is — gone, private, someone else's — the answer is the same, so
 * unfollowing tells nothing about it.
 */
export async function unfollowList(ctx: DomainContext, me: string, listId: string): Promise<void> {
  const at = ctx.clock.now();
  await write(ctx, async (r, out) => {
    await r.lists.lock(listId);
    if (!(await r.lists.unfollow(me, listId))) return;
    await r.lists.adjustCounters(listId, { follower_count: -1 });
    out.emit({ type: 'list.unfollowed', listId, userId: me, at });
  });
}

/** Pins a list the caller may see (idempotent), at most MAX_PINNED_LISTS. */
export async function pinList(ctx: DomainContext, me: string, listId: string): Promise<true | Refusal> {
  const at = ctx.clock.now();
  return onVisibleList<true>(ctx, me, listId, async (r, out) => {
    // Serialises the user's pins, so two concurrent ones cannot both pass the cap.
    await r.social.lockUser(me);
    const pinned = await r.lists.pinned(me, listScope({ userId: me }));
    if (pinned.includes(listId)) return true;
    if (pinned.length >= MAX_PINNED_LISTS) throw new Forbidden(`You cannot pin more than ${MAX_PINNED_LISTS} Lists.`);
    await r.lists.pin(me, listId, at);
    out.emit({ type: 'list.pinned', listId, userId: me, at });
    return true;
  });
}

/** Unpins (idempotent; like unfollowing, the answer says nothing about the list). */
export async function unpinList(ctx: DomainContext, me: string, listId: string): Promise<void> {
  const at = ctx.clock.now();
  await write(ctx, async (r, out) => {
    if (await r.lists.unpin(me, listId)) out.emit({ type: 'list.unpinned', listId, userId: me, at });
  });
}
