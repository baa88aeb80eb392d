/**
 * GET /2/users/:id/followers and /2/users/:id/following: one read along either direction of the follow edge, with
 * the same limits and metering.
 */
import { meter } from '../../limits/metering.js';
import { operation, type Operation } from '../operation.js';
import { aboutUser, usersPage } from '../shared.js';
import { CURSORS, walkEdges } from '../../pipeline/pagination.js';

function followListOperation(operationId: 'getUsersFollowers' | 'getUsersFollowing', edge: 'followers' | 'following'): Operation {
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

/** The table of follow-list operations (one declaration each). */
export const followListOperations: readonly Operation[] = [
  followListOperation('getUsersFollowers', 'followers'),
  followListOperation('getUsersFollowing', 'following'),
];
