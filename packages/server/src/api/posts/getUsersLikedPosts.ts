import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { aboutUser, postsPage } from '../shared.js';
import { CURSORS, walkEdges } from '../../pipeline/pagination.js';

export const getUsersLikedPosts = operation({
  operationId: 'getUsersLikedPosts',
  rateLimit: { app: 75, user: 75 },
  metering: meter.read('post', { owned: true }),
  handle: (req) =>
    aboutUser(req, async (id, env) =>
      postsPage(req, env, await walkEdges(CURSORS.likedPosts, req.params, Number(req.params.max_results ?? 100), (q) => env.repos.edges.likedPosts(id, q))),
    ),
});
