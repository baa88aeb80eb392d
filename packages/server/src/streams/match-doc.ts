/** Builds the matcher's view of one post (query/matcher.ts `MatchDoc`) from rows, with batch loads. */
import type { Repos } from '../data/index.js';
import type { PostRow } from '../data/rows.js';
import type { MatchDoc } from '../query/matcher.js';

/** The post and everything the stream matcher may look at; null when the post is gone or its author is. */
export async function loadMatchDoc(repos: Repos, postId: string): Promise<MatchDoc | null> {
  const post = (await repos.posts.byIds([postId])).get(postId);
  if (!post || post.deleted) return null;
  const refIds = [post.quotedPostId, post.repostedPostId, post.inReplyToPostId].filter((x): x is string => !!x);
  const refs = refIds.length ? await repos.posts.byIds(refIds) : new Map<string, PostRow>();
  const live = (id: string | null) => {
    const p = id ? refs.get(id) : undefined;
    return p && !p.deleted ? p : null;
  };
  const quoted = live(post.quotedPostId);
  const reposted = live(post.repostedPostId);
  const repliedTo = live(post.inReplyToPostId);
  const userIds = new Set<string>([post.authorId]);
  for (const p of [quoted, reposted, repliedTo]) if (p) userIds.add(p.authorId);
  if (post.inReplyToUserId) userIds.add(post.inReplyToUserId);
  const [users, media, places] = await Promise.all([
    repos.users.byIds([...userIds]),
    post.mediaKeys?.length ? repos.attachments.mediaByKeys(post.mediaKeys) : Promise.resolve(new Map()),
    post.placeId ? repos.attachments.placesByIds([post.placeId]) : Promise.resolve(new Map()),
  ]);
  const author = users.get(post.authorId);
  if (!author) return null;
  const repliedToUserId = repliedTo?.authorId ?? post.inReplyToUserId;
  return {
    post,
    author,
    quoted,
    quotedAuthor: quoted ? (users.get(quoted.authorId) ?? null) : null,
    reposted,
    repostedAuthor: reposted ? (users.get(reposted.authorId) ?? null) : null,
    repliedTo,
    repliedToUser: repliedToUserId ? (users.get(repliedToUserId) ?? null) : null,
    media: [...media.values()],
    place: post.placeId ? (places.get(post.placeId) ?? null) : null,
  };
}
