/**
 * Loads the in-memory matcher's documents (query/matcher.ts `MatchDoc`) for stored posts, in batches: the post,
 * its author, the reposted and quoted posts with their authors, the replied-to user, media rows and place.
 * Lists, context annotations and affiliations are not stored, so documents carry none.
 */
import type { MatchDoc } from '../query/matcher.js';
import type { Repos } from '../data/index.js';
import type { PostRow } from '../data/rows.js';

export async function loadMatchDocs(repos: Repos, posts: readonly PostRow[]): Promise<MatchDoc[]> {
  const refIds = new Set<string>();
  for (const p of posts) {
    if (p.repostedPostId) refIds.add(p.repostedPostId);
    if (p.quotedPostId) refIds.add(p.quotedPostId);
  }
  const refs = await repos.posts.byIds([...refIds]);
  const userIds = new Set<string>();
  for (const p of posts) {
    userIds.add(p.authorId);
    if (p.inReplyToUserId) userIds.add(p.inReplyToUserId);
  }
  for (const r of refs.values()) userIds.add(r.authorId);
  const users = await repos.users.byIds([...userIds]);
  const media = await repos.attachments.mediaByKeys(posts.flatMap((p) => p.mediaKeys ?? []));
  const places = await repos.attachments.placesByIds([...new Set(posts.flatMap((p) => (p.placeId ? [p.placeId] : [])))]);
  const docs: MatchDoc[] = [];
  for (const post of posts) {
    const author = users.get(post.authorId);
    if (!author) continue;
    const reposted = post.repostedPostId ? refs.get(post.repostedPostId) ?? null : null;
    const quoted = post.quotedPostId ? refs.get(post.quotedPostId) ?? null : null;
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
    });
  }
  return docs;
}
