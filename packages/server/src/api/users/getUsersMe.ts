import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { renderEnv, selection, single } from '../shared.js';
import { renderUsers } from '../../pipeline/render.js';

export const getUsersMe = operation({
  operationId: 'getUsersMe',
  rateLimit: { user: 75 },
  metering: meter.read('user'),
  async handle(req) {
    // The contract admits only user-context auth here, so a user id is always present.
    return single(await renderUsers(renderEnv(req), { ids: [req.principal!.userId!] }, selection(req), { parameter: 'id' }));
  },
});
