import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { renderEnv, selection, single } from '../shared.js';
import { renderUsers } from '../../pipeline/render.js';

export const getUsersByUsername = operation({
  operationId: 'getUsersByUsername',
  rateLimit: { app: 300, user: 900 },
  metering: meter.read('user'),
  async handle(req) {
    const name = String(req.params.username);
    const env = renderEnv(req);
    const user = (await env.repos.users.byUsernames([name])).get(name.toLowerCase());
    return single(await renderUsers(env, [{ key: name, user }], selection(req), { parameter: 'username' }));
  },
});
