/**
 * How operations are grouped into sub-clients and named — the official XDK's conventions, stated as rules.
 *
 * - A sub-client is chosen by the operation's tag (the contract keeps the spec's first tag); the official
 *   generator grouped by the tags of the live spec at its release, which differ from 2.167's for the operations
 *   listed in `clientOverrides`.
 * - A method's name is the operationId with every word of the sub-client's name removed (case-insensitive,
 *   whole words only: `getPostsQuotedPosts` in `posts` → `getQuoted`, `likePost` in `users` stays), camelCased.
 */
export const clientOfTag: Record<string, string> = {
  'Account Activity': 'accountActivity',
  Activity: 'activity',
  Articles: 'articles',
  Broadcasts: 'broadcasts',
  Chats: 'chat',
  Communities: 'communities',
  'Community Notes': 'communityNotes',
  Compliance: 'compliance',
  Connections: 'connections',
  Counts: 'posts',
  'Direct Messages': 'directMessages',
  General: 'general',
  Lists: 'lists',
  Media: 'media',
  News: 'news',
  Posts: 'posts',
  Search: 'posts',
  Spaces: 'spaces',
  Stream: 'stream',
  Trends: 'trends',
  Tweets: 'stream',
  Usage: 'usage',
  Users: 'users',
  Webhooks: 'webhooks',
  Bookmarks: 'users',
  Likes: 'users',
  Mutes: 'users',
};

export const clientOverrides: Record<string, string> = {
  getTrendsByWoeid: 'trends',
  searchNews: 'news',
  getPostsLikingUsers: 'posts',
  getUsersPublicKeys: 'users',
  getUsersPublicKey: 'users',
  blockUsersDms: 'users',
  unblockUsersDms: 'users',
  unfollowList: 'users',
  pinList: 'users',
  unpinList: 'users',
  getUsersBookmarks: 'users',
  createUsersBookmark: 'users',
  getUsersBookmarkFolders: 'users',
  getUsersBookmarksByFolderId: 'users',
  getUsersLikedPosts: 'users',
  getUsersMentions: 'users',
  repostPost: 'users',
  unrepostPost: 'users',
  getUsersTimeline: 'users',
  getUsersPosts: 'users',
};

/** Sub-clients in the official order of `Client`'s properties. */
export const clientOrder = [
  'posts', 'users', 'stream', 'lists', 'directMessages', 'spaces', 'media', 'chat', 'broadcasts', 'webhooks',
  'accountActivity', 'activity', 'communityNotes', 'communities', 'compliance', 'connections', 'articles', 'news',
  'trends', 'usage', 'general',
] as const;

const words = (s: string) => s.match(/[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])/g) ?? [];

export function methodName(operationId: string, client: string): string {
  const drop = new Set(words(client).map((w) => w.toLowerCase()));
  const kept = words(operationId).filter((w) => !drop.has(w.toLowerCase()));
  return kept.map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase())).join('');
}
