import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { aboutUser, usersPage } from '../shared.js';
import { CURSORS, walkEdges } from '../../pipeline/pagination.js';

/**
 * GET /2/users/:id/followers and /2/users/:id/following: one read along either direction of the follow edge, with
 * the same limits and metering.
 */
export function followList<Id extends 'getUsersFollowers' | 'getUsersFollowing'>(operationId: Id, edge: 'followers' | 'following') {
  return operation({
    operationId,
    rateLimit: { app: 300, user: 300 },
    metering: meter.read('follow', { owned: true }),
    handle: (req) =>
      aboutUser(req, async (id, env) =>
        usersPage(req, env, await walkEdges(CURSORS[edge], req.params, Number(req.params.max_results ?? 100), (q) => env.repos.edges[edge](id, q))),
      ),
  });
}
