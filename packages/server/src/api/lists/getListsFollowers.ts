/** GET /2/lists/:id/followers — newest follower first (180 per 15 minutes: X's documentation, FACTS is silent). */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { CURSORS } from '../../pipeline/pagination.js';
import { listUsers } from './list-users.js';

export const getListsFollowers = operation({
  operationId: 'getListsFollowers',
  rateLimit: { app: 180, user: 180 },
  metering: meter.read('user'),
  handle: (req) => listUsers(req, CURSORS.listFollowers, (repos, id, q) => repos.lists.followers(id, q)),
});
