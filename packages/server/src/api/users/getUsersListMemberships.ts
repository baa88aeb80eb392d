/** GET /2/users/:id/list_memberships — by when the user was added, newest first (75 per 15 minutes: X's documentation). */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { CURSORS, walkEdges } from '../../pipeline/pagination.js';
import { pageSize, userLists } from './user-lists.js';

export const getUsersListMemberships = operation({
  operationId: 'getUsersListMemberships',
  rateLimit: { app: 75, user: 75 },
  metering: meter.read('list', { owned: true }),
  handle: (req) => userLists(req, (repos, id, scope) => walkEdges(CURSORS.listMemberships, req.params, pageSize(req), (q) => repos.lists.memberships(id, scope, q))),
});
