import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { aboutPost, usersPage } from '../shared.js';
import { CURSORS, walkEdges } from '../../pipeline/pagination.js';

export const getPostsLikingUsers = operation({
  operationId: 'getPostsLikingUsers',
  rateLimit: { app: 75, user: 75 },
  metering: meter.read('user'),
  handle: (req) =>
    aboutPost(req, async (id, env) =>
      usersPage(req, env, await walkEdges(CURSORS.likingUsers, req.params, Number(req.params.max_results ?? 100), (q) => env.repos.edges.likingUsers(id, q))),
    ),
});
