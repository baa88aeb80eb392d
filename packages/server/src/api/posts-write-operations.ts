import type { Operation } from './types.js';
import { createPosts } from './posts/createPosts.js';
import { deletePosts } from './posts/deletePosts.js';
import { hidePostsReply } from './posts/hidePostsReply.js';

export const postsWriteOperations: readonly Operation[] = [createPosts, deletePosts, hidePostsReply];
