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
 * - Communities: a post in a Public Community is public (its `community_id` says where it was posted); a post in a
 *   Closed Community is for its members only — everyone else, app-only included, gets it as X answers content they
 *   may not see (Authorization Error in lookups, left out of lists, timelines and includes, never streamed), and
 *   search, which shows public content only, never finds it. Its author always sees it.
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
import type { CommunityScope } from '../data/communities.js';
import type { DmAllowFrom, DmEventRow } from '../data/dms.js';
import type { ChatConversationRow, ChatMemberRow } from '../data/chats.js';
import type { NoteEvaluation, RequestedPost } from '../data/notes.js';

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
  /**
   * The Communities of the judged posts (`extras.community_id`), each as the viewer may read it. A Community post
   * whose Community is not in here is judged as one the viewer may not read: hydrate loads every one it sees.
   */
  communities?: ReadonlyMap<string, CommunityAccess>;
}

/** A Community as a reader of its posts: `public` (anyone), a Closed one as a `member`, or `closed` to the viewer. */
export type CommunityAccess = 'public' | 'member' | 'closed';

/** X's Community `access` values (FACTS §8.3): `Public` or `Closed`. */
export const CLOSED_COMMUNITY = 'Closed';

/** How the viewer reads a Community's posts, from its `access` and their membership. */
export function communityAccess(access: string, member: boolean): CommunityAccess {
  if (access !== CLOSED_COMMUNITY) return 'public';
  return member ? 'member' : 'closed';
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

/** Whether the viewer may read a post for the Community it was posted in (see the header). */
function mayReadCommunityPost(viewer: Viewer, post: PostRow, rel: Relations): boolean {
  const community = post.extras?.community_id;
  if (!community || post.authorId === viewer.userId) return true;
  const access = rel.communities?.get(community);
  return access === 'public' || access === 'member';
}

/** A post (with its author) for a viewer. Lookups report `unauthorized` as X's Authorization Error; lists drop it. */
export function postVerdict(viewer: Viewer, post: PostRow | undefined, author: UserRow | undefined, rel: Relations): Verdict {
  if (!post || post.deleted || !author || author.suspended) return 'missing';
  return mayReach(viewer, author, rel) && mayReadCommunityPost(viewer, post, rel) ? 'ok' : 'unauthorized';
}

/**
 * A post on a public surface (streams, filtered-stream webhooks): what an app-only viewer may see. `communities`:
 * the post's Community as app-only reads it (`communityAccess(access, false)`), when it has one.
 */
export function appOnlyPostVerdict(post: PostRow | undefined, author: UserRow | undefined, communities: ReadonlyMap<string, CommunityAccess>): Verdict {
  return postVerdict(APP_ONLY, post, author, communities.size ? { follows: NO_RELATIONS.follows, communities } : NO_RELATIONS);
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

/**
 * The Community posts a viewer may read (see the header), as a scope data/ applies in the timelines' queries so
 * their pages come full: Public Communities' posts, the Closed ones' the viewer is a member of, and their own.
 */
export function communityScope(viewer: Viewer): CommunityScope {
  return { readerId: viewer.userId };
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

// ---- Community Notes (the AI Note Writer API's documented rules) ----

/**
 * Requests for a note show on a post once at least max(5, views / 25,000) people asked; those posts are the
 * candidates AI Note Writers are offered (posts eligible for notes).
 */
export function noteRequestThreshold(impressions: number): number {
  return Math.max(5, Math.ceil(impressions / 25_000));
}

/** Whether a requested post (live, public: data/ gives no other) is eligible for notes. */
export function eligibleForNotes(p: RequestedPost): boolean {
  return inNotesFeed('small', p);
}

/** A note's status: test notes have none (they are never rated); others need ratings, which only people give. */
export function noteStatus(n: { testMode: boolean }): 'needs_more_ratings' | undefined {
  return n.testMode ? undefined : 'needs_more_ratings';
}

/**
 * Admission (writing notes others see, test_mode=false): among the writer's 50 most recent test notes, at least
 * 30% score high on ClaimOpinion and at most 30% low, at least 95% high on UrlValidity and 98% high on
 * HarassmentAbuse. `recent`: newest first.
 */
export const ADMISSION_WINDOW = 50;
export function admittedWriter(recent: readonly NoteEvaluation[]): boolean {
  const last = recent.slice(0, ADMISSION_WINDOW);
  if (last.length < ADMISSION_WINDOW) return false;
  const share = (f: (n: NoteEvaluation) => boolean) => last.filter(f).length / last.length;
  return (
    share((n) => n.claimOpinion === 'high') >= 0.3 &&
    share((n) => n.claimOpinion === 'low') <= 0.3 &&
    share((n) => n.urlValidity === 'high') >= 0.95 &&
    share((n) => n.harassmentAbuse === 'high') >= 0.98
  );
}

type Rated = 'currently_rated_helpful' | 'currently_rated_not_helpful' | 'needs_more_ratings';
const hitRate = (s: readonly (Rated | undefined)[]) => (s.length ? (s.filter((x) => x === 'currently_rated_helpful').length - s.filter((x) => x === 'currently_rated_not_helpful').length) / s.length : 0);

/**
 * High-performing writers (the large and xl feeds, media notes): at least 100 notes, a hit rate of at least 10%
 * and at most 10% rated not helpful among the latest 100. `statuses`: the writer's product notes, newest first.
 */
export function highPerformingWriter(statuses: readonly (Rated | undefined)[]): boolean {
  const last = statuses.slice(0, 100);
  if (statuses.length < 100) return false;
  const crnh = last.filter((x) => x === 'currently_rated_not_helpful').length / last.length;
  return hitRate(last) >= 0.1 && crnh <= 0.1;
}

/**
 * The daily writing limit of product notes: 2 after 8 of the last 10 rated notes were rated not helpful, 5 after
 * 3 of the last 5, 10 for a writer with fewer than 20 notes, else max(5, ⌊min(5 × daily notes of the last 30
 * days, L)⌋) where L grows with the long-term hit rate. `statuses`: product notes, newest first.
 */
export function dailyWritingLimit(statuses: readonly (Rated | undefined)[], dailyNotes30: number): number {
  const rated = statuses.filter((x) => x !== undefined && x !== 'needs_more_ratings');
  const nh = (n: number) => rated.slice(0, n).filter((x) => x === 'currently_rated_not_helpful').length;
  if (nh(10) >= 8) return 2;
  if (nh(5) >= 3) return 5;
  if (statuses.length < 20) return 10;
  const recent = hitRate(statuses.slice(0, 20));
  const long = hitRate(statuses.slice(0, 100));
  const l = long < 0.1 ? 200 * Math.max(recent, long) : long < 0.15 ? 20 + 1600 * (long - 0.1) : long < 0.2 ? 100 + 8000 * (long - 0.15) : 500;
  return Math.max(5, Math.floor(Math.min(dailyNotes30 * 5, l)));
}

export type FeedSize = 'small' | 'large' | 'xl';

/**
 * Whether a requested post is in a feed: `small` (the default) holds the eligible posts; `large` also posts with
 * half the requests eligibility needs, `xl` every requested post — for high-performing writers outside test mode.
 */
export function inNotesFeed(size: FeedSize, p: RequestedPost): boolean {
  const threshold = noteRequestThreshold(p.impressions);
  return size === 'small' ? p.requests >= threshold : size === 'large' ? p.requests >= Math.ceil(threshold / 2) : p.requests >= 1;
}

/** `post_selection`: `feed_size:<small|large|xl>` and `feed_lang:<code|all>`, comma-separated; null if malformed. */
export function parsePostSelection(v: string | undefined): { size: FeedSize; lang: string } | null {
  const out = { size: 'small' as FeedSize, lang: 'en' };
  if (v === undefined || v.trim() === '') return out;
  for (const part of v.split(',')) {
    const m = /^\s*(feed_size|feed_lang)\s*:\s*([A-Za-z-]+)\s*$/.exec(part);
    if (!m) return null;
    const value = m[2]!;
    if (m[1] === 'feed_size') {
      if (value !== 'small' && value !== 'large' && value !== 'xl') return null;
      out.size = value;
    } else out.lang = value.toLowerCase();
  }
  return out;
}
