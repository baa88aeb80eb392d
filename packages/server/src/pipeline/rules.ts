/**
 * Visibility: who may see which post or user. Decides only; loading is hydrate's job and shaping is present's.
 */
import type { PostRow, UserRow } from '../data/rows.js';

export type Verdict = 'ok' | 'missing' | 'unauthorized';

export interface Viewer {
  /** The authenticated user in user context; null for app-only. */
  userId: string | null;
}

/** What the rules need to know about the viewer's relations, loaded beforehand by hydrate. */
export interface Relations {
  /** Keys `viewer:author` of follow edges from the viewer to protected authors. */
  follows: Set<string>;
  /**
   * Ids of authors who block the viewer or whom the viewer blocks. Their posts are hidden from the viewer either
   * way: lookups report them as not authorized (as X does), lists and timelines drop them.
   */
  blocked?: Set<string>;
}

/** Authors whose posts need a follow check for this viewer. */
export function protectedAuthorsToCheck(viewer: Viewer, authors: Iterable<UserRow>): [string, string][] {
  if (!viewer.userId) return [];
  const out: [string, string][] = [];
  for (const a of authors) if (a.protected && a.id !== viewer.userId) out.push([viewer.userId, a.id]);
  return out;
}

/** Authors whose block relation with the viewer must be known (every author but the viewer). */
export function blockCandidates(viewer: Viewer, authors: Iterable<UserRow>): string[] {
  if (!viewer.userId) return [];
  const out: string[] = [];
  for (const a of authors) if (a.id !== viewer.userId) out.push(a.id);
  return out;
}

export function postVerdict(viewer: Viewer, post: PostRow | undefined, author: UserRow | undefined, rel: Relations): Verdict {
  if (!post || post.deleted || !author || author.suspended) return 'missing';
  if (rel.blocked?.has(author.id) && author.id !== viewer.userId) return 'unauthorized';
  if (author.protected && author.id !== viewer.userId && !(viewer.userId && rel.follows.has(`${viewer.userId}:${author.id}`))) {
    return 'unauthorized';
  }
  return 'ok';
}

export function userVerdict(user: UserRow | undefined): 'ok' | 'missing' | 'suspended' {
  if (!user) return 'missing';
  return user.suspended ? 'suspended' : 'ok';
}
