import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { many, renderEnv, selection } from '../shared.js';
import { renderUsers } from '../../pipeline/render.js';

export const getUsersByIds = operation({
  operationId: 'getUsersByIds',
  rateLimit: { app: 300, user: 900 },
  metering: meter.read('user'),
  async handle(req) {
    const ids = req.params.ids as string[];
    const env = renderEnv(req);
    const users = await env.repos.users.byIds(ids);
    return many(await renderUsers(env, ids.map((id) => ({ key: id, user: users.get(id) })), selection(req), { parameter: 'ids' }));
  },
});
