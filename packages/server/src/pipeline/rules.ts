/**
 * Visibility: the one place that decides who may see which post or user — lookups, lists, timelines, expansions,
 * the subjects of /2/users/:id/… and /2/tweets/:id/… lists, search, streams and the targets of writes. It decides
 * only: loading is hydrate's job (it asks `relationNeeds` what to load) and shaping is present's.
 *
 * Every verdict is a pure function of (viewer, object, relations): a new surface (Direct Messages, webhooks)
 * hydrates the same `Relations` and adds its verdict here.
 *
 * What each fact does (FACTS §1.2, §8):
 * - deleted posts, unknown posts or users, posts whose author is unknown or suspended: missing (Not Found).
 * - suspended users: their own Problem in lookups; never in lists or includes.
 * - protected accounts: their posts, and the lists hanging off them, only for themselves and their followers.
 * - blocks, either way: like a protected account the viewer may not see.
 * - mutes: only the home timeline leaves muted accounts out; X shows them everywhere else.
 * - withheld: never hides anything. X hides withheld content only in the withheld countries, and requests to
 *   Roost carry no country; the `withheld` field still says where it would be hidden.
 */
import type { PostRow, UserRow } from '../data/rows.js';

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
  if (withRefs) {
    const seen = new Set<string>();
    for (const p of out.shown) {
      for (const r of references(p)) {
        if (!r || seen.has(r)) continue;
        seen.add(r);
        const rp = s.posts.get(r);
        const v = postVerdict(viewer, rp, rp && s.users.get(rp.authorId), s.relations);
        if (v === 'ok') out.refs.push(rp!);
        else out.hiddenRefs.push({ id: r, verdict: v });
      }
    }
  }
  return out;
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

/** Whether a user expanded into `includes` is shown (expansions never bring a suspended account). */
export const includedUser = (u: UserRow | undefined): u is UserRow => userVerdict(u) === 'ok';

/**
 * A Space, a Community or an affiliation hangs off an account: it is shown while that account is (a suspended
 * or vanished creator takes the object with it, as X answers Not Found for it).
 */
export function ownedObjectVerdict(exists: boolean, owner: UserRow | undefined): 'ok' | 'missing' {
  return exists && userVerdict(owner) === 'ok' ? 'ok' : 'missing';
}
