/**
 * Visibility: the one place that decides who may see which post or user — lookups, lists, timelines, expansions,
 * the subjects of /2/users/:id/… and /2/tweets/:id/… lists, search, streams and the targets of writes. It decides
 * only: loading is hydrate's job (it asks `relationNeeds` what to load) and shaping is present's.
 *
 * Every verdict is a pure function of (viewer, object, relations): a new surface (webhooks) hydrates the same
 * `Relations` and adds its verdict here. Direct Messages and Chats: only a conversation's current participants
 * see it or its events (from when they joined); who may message whom follows X's DM settings
 * (`messagingVerdict`).
 *
 * What each fact does (FACTS §1.2, §8):
 * - deleted posts, unknown posts or users, posts whose author is unknown or suspended: missing (Not Found).
 * - suspended users: their own Problem in lookups; never in lists or includes.
 * - protected accounts: their posts, and the lists hanging off them, only for themselves and their followers.
 * - blocks, either way: like a protected account the viewer may not see.
 * - mutes: only the home timeline leaves muted accounts out; X shows them everywhere else.
 * - withheld: never hides anything. X hides withheld content only in the withheld countries, and requests to
 *   Roost carry no country; the `withheld` field still says where it would be hidden.
 * - lists: a private list exists only for its owner — for everyone else, app-only included, it is missing (Not
 *   Found) wherever it could appear: lookups, the lists hanging off a user, the subjects of /2/lists/:id/… and of
 *   writes, and `list:` in search. A public list is content of its owner: missing when the owner is suspended, and
 *   like the owner's posts across a block or behind a protected account. Queries that walk lists apply the same
 *   privacy rule as a `ListScope` (data/ turns it into a condition, so no page token ever stands on a list the
 *   viewer may not see); every list they return is still judged here.
 */
import type { ListRow, PostRow, UserRow } from '../data/rows.js';
import type { ListScope } from '../data/lists.js';
import type { DmAllowFrom, DmEventRow } from '../data/dms.js';
import type { ChatConversationRow, ChatMemberRow } from '../data/chats.js';

export type Verdict = 'ok' | 'missing' | 'unauthorized';
export type UserVerdict = 'ok' | 'missing' | 'suspended';
/** The subject of a list hanging off a user (/2/users/:id/followers, …/tweets, …). */
export type SubjectUserVerdict = UserVerdict | 'unauthorized';

export interface Viewer {
  /** The authenticated user in user context; null for app-only. */
  userId: string | null;
}

/** Who reads app-only: streams, app-only lookups. */
export const APP_ONLY: Viewer = Object.freeze({ userId: null });

/** What the rules need to know about the viewer's relations, loaded beforehand by hydrate. */
export interface Relations {
  /** Keys `follower:followee` (see `followKey`) of the follow edges that exist among those asked for. */
  follows: Set<string>;
  /** Ids of users who block the viewer or whom the viewer blocks. */
  blocked?: Set<string>;
  /** Ids of users the viewer mutes. */
  muted?: Set<string>;
}

export const NO_RELATIONS: Relations = Object.freeze({ follows: new Set<string>() });

export const followKey = (followerId: string, followeeId: string): string => `${followerId}:${followeeId}`;

/** The relations to load before judging content by these authors for this viewer. */
export interface RelationNeeds {
  /** (follower, followee) pairs: the viewer and each protected author but themselves. */
  followPairs: [string, string][];
  /** Users whose blocks with the viewer, either way, matter: every author but the viewer (and suspended ones). */
  blockChecks: string[];
}

export function relationNeeds(viewer: Viewer, authors: Iterable<UserRow>): RelationNeeds {
  const needs: RelationNeeds = { followPairs: [], blockChecks: [] };
  const me = viewer.userId;
  if (!me) return needs;
  for (const a of authors) {
    // A suspended author's posts are missing whatever the relations: nothing to ask.
    if (a.id === me || a.suspended) continue;
    needs.blockChecks.push(a.id);
    if (a.protected) needs.followPairs.push([me, a.id]);
  }
  return needs;
}

/**
 * Whether the viewer may see what this account shows only to those it lets in: itself; not across a block
 * either way; a protected account only to its followers.
 */
function mayReach(viewer: Viewer, account: UserRow, rel: Relations): boolean {
  if (account.id === viewer.userId) return true;
  if (rel.blocked?.has(account.id)) return false;
  return !account.protected || (!!viewer.userId && rel.follows.has(followKey(viewer.userId, account.id)));
}

/** A post (with its author) for a viewer. Lookups report `unauthorized` as X's Authorization Error; lists drop it. */
export function postVerdict(viewer: Viewer, post: PostRow | undefined, author: UserRow | undefined, rel: Relations): Verdict {
  if (!post || post.deleted || !author || author.suspended) return 'missing';
  return mayReach(viewer, author, rel) ? 'ok' : 'unauthorized';
}

/** A post on a public surface (streams): what an app-only viewer may see. */
export function appOnlyPostVerdict(post: PostRow | undefined, author: UserRow | undefined): Verdict {
  return postVerdict(APP_ONLY, post, author, NO_RELATIONS);
}

/** A user profile (lookups, list items, includes): anyone's profile is shown, protected or not, but a suspended one. */
export function userVerdict(user: UserRow | undefined): UserVerdict {
  if (!user) return 'missing';
  return user.suspended ? 'suspended' : 'ok';
}

/** The user a /2/users/:id/… list hangs off: a profile the viewer may also reach (see `mayReach`). */
export function subjectUserVerdict(viewer: Viewer, user: UserRow | undefined, rel: Relations): SubjectUserVerdict {
  const v = userVerdict(user);
  if (v !== 'ok') return v;
  return mayReach(viewer, user!, rel) ? 'ok' : 'unauthorized';
}

/** A list for a viewer (see the header). Lookups report `missing` as Not Found and `unauthorized` as Authorization Error. */
export function listVerdict(viewer: Viewer, list: ListRow | undefined, owner: UserRow | undefined, rel: Relations): Verdict {
  if (!list || !owner || owner.suspended) return 'missing';
  if (list.private && list.ownerId !== viewer.userId) return 'missing';
  return mayReach(viewer, owner, rel) ? 'ok' : 'unauthorized';
}

/** The lists a viewer may see by their privacy alone: the public ones and their own (data/ applies it in queries). */
export function listScope(viewer: Viewer): ListScope {
  return { privateOf: viewer.userId };
}

/**
 * Authors of a list's timeline for a viewer: the members whose posts the viewer may see (not suspended, not across
 * a block, protected ones only when followed). Mutes do not apply: X leaves muted accounts out of home only.
 */
export function listTimelineAuthors(viewer: Viewer, members: Iterable<UserRow>, rel: Relations): string[] {
  const out: string[] = [];
  for (const m of members) if (!m.suspended && mayReach(viewer, m, rel)) out.push(m.id);
  return out;
}

/** Authors of a user's home timeline: the user and the accounts they follow, minus those they mute or block (either way). */
export function homeTimelineAuthors(viewerId: string, following: readonly string[], rel: Pick<Relations, 'muted' | 'blocked'>): string[] {
  const out = [viewerId];
  for (const id of following) if (id !== viewerId && !rel.muted?.has(id) && !rel.blocked?.has(id)) out.push(id);
  return out;
}

// ---- pages ----

/** Everything a page's rules look at: rows by id and the viewer's relations (a HydrationState fits). */
export interface Judged {
  posts: ReadonlyMap<string, PostRow>;
  users: ReadonlyMap<string, UserRow>;
  relations: Relations;
}

export interface Hidden<V> {
  id: string;
  verdict: Exclude<V, 'ok'>;
}

export interface PostPageRules {
  /** Primary posts shown, in the asked order. */
  shown: PostRow[];
  hidden: Hidden<Verdict>[];
  /** Posts referenced by shown posts (repost, quote, reply target), first reference first, each once. */
  refs: PostRow[];
  hiddenRefs: Hidden<Verdict>[];
}

const references = (p: PostRow) => [p.repostedPostId, p.quotedPostId, p.inReplyToPostId];

/** Judges a page of posts and, with `withRefs`, the posts its shown posts reference. */
export function judgePostPage(viewer: Viewer, s: Judged, ids: readonly string[], withRefs: boolean): PostPageRules {
  const out: PostPageRules = { shown: [], hidden: [], refs: [], hiddenRefs: [] };
  for (const id of ids) {
    const p = s.posts.get(id);
    const v = postVerdict(viewer, p, p && s.users.get(p.authorId), s.relations);
    if (v === 'ok') out.shown.push(p!);
    else out.hidden.push({ id, verdict: v });
  }
  if (withRefs) judgeReferences(viewer, s, out.shown.flatMap(references), out);
  return out;
}

/** Judges referenced posts (each once, first reference first) into `out.refs` / `out.hiddenRefs`. */
function judgeReferences(viewer: Viewer, s: Judged, ids: readonly (string | null)[], out: Pick<PostPageRules, 'refs' | 'hiddenRefs'>): void {
  const seen = new Set<string>();
  for (const r of ids) {
    if (!r || seen.has(r)) continue;
    seen.add(r);
    const rp = s.posts.get(r);
    const v = postVerdict(viewer, rp, rp && s.users.get(rp.authorId), s.relations);
    if (v === 'ok') out.refs.push(rp!);
    else out.hiddenRefs.push({ id: r, verdict: v });
  }
}

/** A user asked for by id or by username: `key` is what the client sent (Problems name it). */
export interface UserRef {
  key: string;
  user: UserRow | undefined;
}

export interface UserPageRules {
  shown: UserRow[];
  /** `id` is the key the client sent. */
  hidden: Hidden<UserVerdict>[];
}

export function judgeUserPage(refs: readonly UserRef[]): UserPageRules {
  const out: UserPageRules = { shown: [], hidden: [] };
  for (const r of refs) {
    const v = userVerdict(r.user);
    if (v === 'ok') out.shown.push(r.user!);
    else out.hidden.push({ id: r.key, verdict: v });
  }
  return out;
}

export interface ListPageRules {
  shown: ListRow[];
  hidden: Hidden<Verdict>[];
}

/** Judges a page of lists (each with its owner from the state). */
export function judgeListPage(viewer: Viewer, s: Pick<Judged, 'users' | 'relations'> & { lists: ReadonlyMap<string, ListRow> }, ids: readonly string[]): ListPageRules {
  const out: ListPageRules = { shown: [], hidden: [] };
  for (const id of ids) {
    const l = s.lists.get(id);
    const v = listVerdict(viewer, l, l && s.users.get(l.ownerId), s.relations);
    if (v === 'ok') out.shown.push(l!);
    else out.hidden.push({ id, verdict: v });
  }
  return out;
}

/** Whether a user expanded into `includes` is shown (expansions never bring a suspended account). */
export const includedUser = (u: UserRow | undefined): u is UserRow => userVerdict(u) === 'ok';

/**
 * A Space, a Community or an affiliation hangs off an account: it is shown while that account is (a suspended
 * or vanished creator takes the object with it, as X answers Not Found for it).
 */
export function ownedObjectVerdict(exists: boolean, owner: UserRow | undefined): 'ok' | 'missing' {
  return exists && userVerdict(owner) === 'ok' ? 'ok' : 'missing';
}
// ---- Broadcasts and Articles ----

/**
 * What only its owner ever sees — a scheduled broadcast, an article draft: the signed-in owner. For anyone else it
 * is `missing`, the answer for an id that does not exist, so nothing tells them it does.
 */
export function ownerOnlyVerdict(viewer: Viewer, ownerId: string | undefined): 'ok' | 'missing' {
  return viewer.userId !== null && ownerId === viewer.userId ? 'ok' : 'missing';
}

export type BroadcastChatVerdict = Verdict | 'unavailable';

/**
 * Chatting in a broadcast (a public one, whoever scheduled it): `missing` when it does not exist or its
 * broadcaster is suspended; `unauthorized` for a viewer who may not reach the broadcaster (a block either way, a
 * protected broadcaster they do not follow); `unavailable` while it is not live (scheduled, or ended).
 */
export function broadcastChatVerdict(viewer: Viewer, broadcast: { live: boolean } | undefined, broadcaster: UserRow | undefined, rel: Relations): BroadcastChatVerdict {
  if (!broadcast || !broadcaster || broadcaster.suspended) return 'missing';
  if (!mayReach(viewer, broadcaster, rel)) return 'unauthorized';
  return broadcast.live ? 'ok' : 'unavailable';
}

// ---- Direct Messages and Chats ----

/** The viewer's place in a conversation (a DM participant or a chat member): since when, and whether they left. */
export interface Membership {
  joinedAt: number;
  /** Set once they left (chat members are removed instead). */
  leftAt?: number | null;
}

/**
 * A conversation for a viewer: only its current participants see it. Everyone else — other users, app-only
 * callers — gets `missing`, the same answer as for a conversation that does not exist, so nothing tells them it
 * does.
 */
export function conversationVerdict(viewer: Viewer, membership: Membership | undefined): 'ok' | 'missing' {
  return viewer.userId && membership && (membership.leftAt ?? null) === null ? 'ok' : 'missing';
}

/** An event of a conversation: seen by current participants who had joined when it happened. */
export function conversationEventVerdict(viewer: Viewer, event: { createdAt: number } | undefined, membership: Membership | undefined): 'ok' | 'missing' {
  if (!event || conversationVerdict(viewer, membership) !== 'ok') return 'missing';
  return event.createdAt >= membership!.joinedAt ? 'ok' : 'missing';
}

/** Items of conversations (DM events, chat events) and the viewer's memberships of those conversations. */
export interface JudgedConversationItems<T extends { conversationId: string; createdAt: number }> {
  items: ReadonlyMap<string, T>;
  memberships: ReadonlyMap<string, Membership>;
}

export interface ConversationItemRules<T> {
  /** Items the viewer sees, in the asked order. */
  shown: T[];
  hidden: Hidden<'missing'>[];
}

/** Judges a page of conversation items: the viewer sees those of conversations they take part in, since they joined. */
export function judgeConversationItems<T extends { conversationId: string; createdAt: number }>(viewer: Viewer, s: JudgedConversationItems<T>, ids: readonly string[]): ConversationItemRules<T> {
  const out: ConversationItemRules<T> = { shown: [], hidden: [] };
  for (const id of ids) {
    const item = s.items.get(id);
    if (conversationEventVerdict(viewer, item, item && s.memberships.get(item.conversationId)) === 'ok') out.shown.push(item!);
    else out.hidden.push({ id, verdict: 'missing' });
  }
  return out;
}

/** Chat conversations the viewer takes part in (active ones: a group only initialized is no conversation yet). */
export function judgeChatConversationPage(
  viewer: Viewer,
  s: { conversations: ReadonlyMap<string, ChatConversationRow>; members: ReadonlyMap<string, readonly ChatMemberRow[]> },
  ids: readonly string[],
): ConversationItemRules<ChatConversationRow> {
  const out: ConversationItemRules<ChatConversationRow> = { shown: [], hidden: [] };
  for (const id of ids) {
    const c = s.conversations.get(id);
    const mine = s.members.get(id)?.find((m) => m.userId === viewer.userId);
    if (c && c.state === 'active' && conversationVerdict(viewer, mine) === 'ok') out.shown.push(c);
    else out.hidden.push({ id, verdict: 'missing' });
  }
  return out;
}

/** A page of DM events: the events shown and the posts their shown messages link to. */
export interface DmEventPageRules extends ConversationItemRules<DmEventRow>, Pick<PostPageRules, 'refs' | 'hiddenRefs'> {}

export function judgeDmEventPage(viewer: Viewer, s: JudgedConversationItems<DmEventRow> & Judged, ids: readonly string[], withRefs: boolean): DmEventPageRules {
  const out: DmEventPageRules = { ...judgeConversationItems(viewer, s, ids), refs: [], hiddenRefs: [] };
  if (withRefs) judgeReferences(viewer, s, out.shown.flatMap((e) => e.referencedPostIds ?? []), out);
  return out;
}

/** Who may start messaging a user when nothing else allows it (X's classic default: accounts they follow). */
export const DEFAULT_DM_ALLOW_FROM: DmAllowFrom = 'following';

/** What decides whether the sender may message the recipient (X's DM settings), loaded by hydrate. */
export interface MessagingFacts {
  sender: UserRow;
  recipient: UserRow | undefined;
  /** A block either way between them (blocks of the whole account). */
  blocked: boolean;
  /** The recipient blocks Direct Messages from the sender. */
  dmBlocked: boolean;
  /** The recipient follows the sender. */
  followedByRecipient: boolean;
  /** The recipient's DM setting; undefined: the default. */
  allowFrom: DmAllowFrom | undefined;
  /** The recipient has written to the sender in their one-to-one conversation already. */
  engaged: boolean;
}

/**
 * `closed`: the recipient takes messages only from accounts they follow (or verified ones) and has not
 * answered the sender before; `blocked`: a block either way, or the recipient blocks the sender's DMs.
 */
export type MessagingVerdict = UserVerdict | 'blocked' | 'closed';

export function messagingVerdict(f: MessagingFacts): MessagingVerdict {
  const v = userVerdict(f.recipient);
  if (v !== 'ok') return v;
  if (f.recipient!.id === f.sender.id) return 'ok';
  if (f.blocked || f.dmBlocked) return 'blocked';
  if (f.engaged || f.followedByRecipient) return 'ok';
  const allow = f.allowFrom ?? DEFAULT_DM_ALLOW_FROM;
  return allow === 'everyone' || (allow === 'verified' && f.sender.verified) ? 'ok' : 'closed';
}

// ---- webhooks ----

/** How a post reaches a subscribed user's Account Activity webhook. */
export type AccountActivityVerdict = 'deliver' | 'deliver-blocked' | 'withhold';

/** Who blocks whom between a subscribed user and a post's author (hydrate's relations do not say which way). */
export interface BlockDirections {
  subscriberBlocksAuthor: boolean;
  authorBlocksSubscriber: boolean;
}

/**
 * Account Activity (webhooks): whether a subscribed user's webhook is told about a post (their own, or one that
 * replies to, mentions, quotes or reposts them). The subscriber learns what they could see on X: never a deleted
 * post or a suspended author's, a protected author's only as a follower, nothing from an author who blocks them.
 * One exception, as at X: activity of an account the subscriber blocks is still delivered, flagged
 * (`user_has_blocked`), so an app can show or drop it.
 */
export function accountActivityPostVerdict(subscriberId: string, post: PostRow | undefined, author: UserRow | undefined, rel: Relations, blocks: BlockDirections): AccountActivityVerdict {
  const viewer = { userId: subscriberId };
  const v = postVerdict(viewer, post, author, rel);
  if (v === 'ok') return 'deliver';
  if (v === 'missing' || blocks.authorBlocksSubscriber || !blocks.subscriberBlocksAuthor) return 'withhold';
  // Blocked by the subscriber only: judged as if there were no block.
  const unblocked: Relations = { ...rel, blocked: new Set([...(rel.blocked ?? [])].filter((id) => id !== author!.id)) };
  return postVerdict(viewer, post, author, unblocked) === 'ok' ? 'deliver-blocked' : 'withhold';
}

/**
 * The X Activity API: a subscription sees as its filtered user when that user has authorized the app (private
 * events need that consent anyway), and otherwise as any app does (public content only).
 */
export function activityViewer(filterUserId: string | null, authorized: boolean): Viewer {
  return filterUserId && authorized ? { userId: filterUserId } : APP_ONLY;
}

// ---- batch compliance ----

/** Why a post or user id of a compliance job needs action (FACTS §12.1), or null when it is compliant. */
export type ComplianceVerdict =
  | { reason: 'deleted' | 'suspended' | 'protected' }
  | { reason: 'withheld'; countries: string[] }
  | { reason: 'edited'; chain: readonly string[] };

/**
 * A post id of a compliance job: gone (unknown or deleted), its author suspended or protected (a public copy must
 * go), its author withheld somewhere, or replaced by a later version (`chain`: every version, oldest first).
 */
export function postComplianceVerdict(post: PostRow | undefined, author: UserRow | undefined, chain: readonly string[] | undefined): ComplianceVerdict | null {
  if (!post || post.deleted || !author) return { reason: 'deleted' };
  const user = userComplianceVerdict(author);
  if (user) return user;
  if (chain && chain.length > 1 && chain[chain.length - 1] !== post.id) return { reason: 'edited', chain };
  return null;
}

/** A user id of a compliance job: unknown, suspended, protected or withheld. */
export function userComplianceVerdict(user: UserRow | undefined): ComplianceVerdict | null {
  if (!user) return { reason: 'deleted' };
  if (user.suspended) return { reason: 'suspended' };
  if (user.protected) return { reason: 'protected' };
  if (user.withheld?.country_codes.length) return { reason: 'withheld', countries: user.withheld.country_codes };
  return null;
}
