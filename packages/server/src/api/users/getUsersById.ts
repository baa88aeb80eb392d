import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { renderEnv, selection, single } from '../shared.js';
import { renderUsers } from '../../pipeline/render.js';

export const getUsersById = operation({
  operationId: 'getUsersById',
  rateLimit: { app: 300, user: 900 },
  metering: meter.read('user'),
  async handle(req) {
    const id = String(req.params.id);
    const env = renderEnv(req);
    const user = (await env.repos.users.byIds([id])).get(id);
    return single(await renderUsers(env, [{ key: id, user }], selection(req), { parameter: 'id' }));
  },
});
