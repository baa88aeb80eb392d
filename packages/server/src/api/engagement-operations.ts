/** Engagement and social-graph operations: likes, reposts, bookmarks (+ folders), follows, blocks, mutes. */
import type { Operation } from './types.js';
import { likePost } from './users/likePost.js';
import { unlikePost } from './users/unlikePost.js';
import { repostPost } from './users/repostPost.js';
import { unrepostPost } from './users/unrepostPost.js';
import { getPostsReposts } from './posts/getPostsReposts.js';
import { getUsersRepostsOfMe } from './users/getUsersRepostsOfMe.js';
import { getUsersBookmarks } from './users/getUsersBookmarks.js';
import { createUsersBookmark } from './users/createUsersBookmark.js';
import { deleteUsersBookmark } from './users/deleteUsersBookmark.js';
import { getUsersBookmarkFolders } from './users/getUsersBookmarkFolders.js';
import { createUsersBookmarkFolder } from './users/createUsersBookmarkFolder.js';
import { getUsersBookmarksByFolderId } from './users/getUsersBookmarksByFolderId.js';
import { followUser } from './users/followUser.js';
import { unfollowUser } from './users/unfollowUser.js';
import { getUsersBlocking } from './users/getUsersBlocking.js';
import { muteUser } from './users/muteUser.js';
import { unmuteUser } from './users/unmuteUser.js';
import { getUsersMuting } from './users/getUsersMuting.js';

export const engagementOperations: readonly Operation[] = [
  likePost,
  unlikePost,
  repostPost,
  unrepostPost,
  getPostsReposts,
  getUsersRepostsOfMe,
  getUsersBookmarks,
  createUsersBookmark,
  deleteUsersBookmark,
  getUsersBookmarkFolders,
  createUsersBookmarkFolder,
  getUsersBookmarksByFolderId,
  followUser,
  unfollowUser,
  getUsersBlocking,
  muteUser,
  unmuteUser,
  getUsersMuting,
];
