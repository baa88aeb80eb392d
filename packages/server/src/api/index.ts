/** The operation registry: every operation Roost serves, listed explicitly (no glob loading). */
import type { Operation } from './types.js';
import { postsWriteOperations } from './posts-write-operations.js';
import { engagementOperations } from './engagement-operations.js';
import { timelineOperations } from './timeline-operations.js';
import { usageOperations } from './usage-operations.js';
import { searchOperations } from './search-operations.js';
import { rulesOperations } from './rules-operations.js';
import { streamOperations } from './stream-operations.js';
import { connectionsOperations } from './connections-operations.js';
import { mediaOperations } from './media-operations.js';
import { getUsersById } from './users/getUsersById.js';
import { getUsersByIds } from './users/getUsersByIds.js';
import { getUsersByUsername } from './users/getUsersByUsername.js';
import { getUsersByUsernames } from './users/getUsersByUsernames.js';
import { getUsersMe } from './users/getUsersMe.js';
import { getUsersPosts } from './users/getUsersPosts.js';
import { getUsersFollowers } from './users/getUsersFollowers.js';
import { getUsersFollowing } from './users/getUsersFollowing.js';
import { getUsersLikedPosts } from './users/getUsersLikedPosts.js';
import { getPostsById } from './posts/getPostsById.js';
import { getPostsByIds } from './posts/getPostsByIds.js';
import { getPostsLikingUsers } from './posts/getPostsLikingUsers.js';
import { getPostsRepostedBy } from './posts/getPostsRepostedBy.js';
import { getPostsQuotedPosts } from './posts/getPostsQuotedPosts.js';

export const operations: readonly Operation[] = [
  getUsersById,
  getUsersByIds,
  getUsersByUsername,
  getUsersByUsernames,
  getUsersMe,
  getUsersPosts,
  getUsersFollowers,
  getUsersFollowing,
  getUsersLikedPosts,
  getPostsById,
  getPostsByIds,
  getPostsLikingUsers,
  getPostsRepostedBy,
  getPostsQuotedPosts,
  ...postsWriteOperations,
  ...engagementOperations,
  ...timelineOperations,
  ...usageOperations,
  ...searchOperations,
  ...rulesOperations,
  ...streamOperations,
  ...connectionsOperations,
  ...mediaOperations,
];
