/**
 * Loads the in-memory matcher's documents (query/matcher.ts `MatchDoc`) for stored posts, in batches: the post,
 * its author, the reposted and quoted posts with their authors, the replied-to user, media rows and place, and —
 * given a list scope — the lists in scope the author is a member of (`list:`, from the same `list_members` rows
 * search's SQL reads). Context annotations and affiliations are not stored, so documents carry none. Search (the
 * differential oracle) keeps deleted quoted/reposted posts; streams pass `liveRefs: true` to drop them, and no list
 * scope (`list:` is not a filtered-stream operator, FACTS §5.2). A post whose author is missing gets no document.
 */
import type { MatchDoc } from '../query/matcher.js';
import type { Repos } from '../data/index.js';
import type { ListScope } from '../data/lists.js';
import type { MediaRow, PlaceRow, PostRow } from '../data/rows.js';

export interface LoadMatchDocsOptions {
  /** Drop quoted/reposted posts that are deleted (streams). */
  liveRefs: boolean;
  /** Load the authors' list memberships in this scope (`authorListIds`). */
  lists?: ListScope;
}

export async function loadMatchDocs(repos: Repos, posts: readonly PostRow[], opts: LoadMatchDocsOptions = { liveRefs: false }): Promise<MatchDoc[]> {
  const refIds = new Set<string>();
  for (const p of posts) {
    if (p.repostedPostId) refIds.add(p.repostedPostId);
    if (p.quotedPostId) refIds.add(p.quotedPostId);
  }
  const refs = refIds.size ? await repos.posts.byIds([...refIds]) : new Map<string, PostRow>();
  const ref = (id: string | null): PostRow | null => {
    const p = id ? refs.get(id) : undefined;
    return p && !(opts.liveRefs && p.deleted) ? p : null;
  };
  const userIds = new Set<string>();
  for (const p of posts) {
    userIds.add(p.authorId);
    if (p.inReplyToUserId) userIds.add(p.inReplyToUserId);
  }
  for (const r of refs.values()) userIds.add(r.authorId);
  const mediaKeys = posts.flatMap((p) => p.mediaKeys ?? []);
  const placeIds = [...new Set(posts.flatMap((p) => (p.placeId ? [p.placeId] : [])))];
  const [users, media, places, listsOf] = await Promise.all([
    repos.users.byIds([...userIds]),
    mediaKeys.length ? repos.attachments.mediaByKeys(mediaKeys) : Promise.resolve(new Map<string, MediaRow>()),
    placeIds.length ? repos.attachments.placesByIds(placeIds) : Promise.resolve(new Map<string, PlaceRow>()),
    opts.lists ? repos.lists.listsOfMembers(posts.map((p) => p.authorId), opts.lists) : Promise.resolve(null),
  ]);
  const docs: MatchDoc[] = [];
  for (const post of posts) {
    const author = users.get(post.authorId);
    if (!author) continue;
    const reposted = ref(post.repostedPostId);
    const quoted = ref(post.quotedPostId);
    docs.push({
      post,
      author,
      reposted,
      repostedAuthor: reposted ? users.get(reposted.authorId) ?? null : null,
      quoted,
      quotedAuthor: quoted ? users.get(quoted.authorId) ?? null : null,
      repliedToUser: post.inReplyToUserId ? users.get(post.inReplyToUserId) ?? null : null,
      media: (post.mediaKeys ?? []).flatMap((k) => {
        const m = media.get(k);
        return m ? [m] : [];
      }),
      place: post.placeId ? places.get(post.placeId) ?? null : null,
      ...(listsOf ? { authorListIds: listsOf.get(post.authorId) ?? new Set<string>() } : {}),
    });
  }
  return docs;
}
