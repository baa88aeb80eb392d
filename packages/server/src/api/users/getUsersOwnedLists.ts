/** GET /2/users/:id/owned_lists — newest first; someone else's private lists are not there. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { CURSORS, walkIds } from '../../pipeline/pagination.js';
import { pageSize, userLists } from './user-lists.js';

export const getUsersOwnedLists = operation({
  operationId: 'getUsersOwnedLists',
  rateLimit: { app: 15, user: 15 },
  metering: meter.read('list', { owned: true }),
  handle: (req) => userLists(req, (repos, id, scope) => walkIds(CURSORS.ownedLists, req.params, pageSize(req), {}, (w) => repos.lists.ownedIds(id, scope, w))),
});
