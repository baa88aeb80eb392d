import type { Operation } from '../types.js';
import { renderEnv, selection, single } from '../shared.js';
import { renderUsers } from '../../pipeline/render.js';

export const getUsersById: Operation = {
  operationId: 'getUsersById',
  async handle(req) {
    const id = String(req.params.id);
    const env = renderEnv(req);
    const user = (await env.repos.users.byIds([id])).get(id);
    return single(await renderUsers(env, [{ key: id, user }], selection(req), { parameter: 'id' }));
  },
};
