/** GET /2/lists/:id/members — newest member first. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { CURSORS } from '../../pipeline/pagination.js';
import { listUsers } from './list-users.js';

export const getListsMembers = operation({
  operationId: 'getListsMembers',
  rateLimit: { app: 900, user: 900 },
  metering: meter.read('user'),
  handle: (req) => listUsers(req, CURSORS.listMembers, (repos, id, q) => repos.lists.members(id, q)),
});
