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
    const id = req.principal!.userId!;
    const env = renderEnv(req);
    const user = (await env.repos.users.byIds([id])).get(id);
    return single(await renderUsers(env, [{ key: id, user }], selection(req), { parameter: 'id' }));
  },
});
