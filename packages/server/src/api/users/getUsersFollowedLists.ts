/** GET /2/users/:id/followed_lists — by when the user followed, newest first (15 per 15 minutes: X's documentation). */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { CURSORS, walkEdges } from '../../pipeline/pagination.js';
import { pageSize, userLists } from './user-lists.js';

export const getUsersFollowedLists = operation({
  operationId: 'getUsersFollowedLists',
  rateLimit: { app: 15, user: 15 },
  metering: meter.read('list', { owned: true }),
  handle: (req) => userLists(req, (repos, id, scope) => walkEdges(CURSORS.followedLists, req.params, pageSize(req), (q) => repos.lists.followed(id, scope, q))),
});
