import type { Operation } from '../types.js';
import { renderEnv, selection, single } from '../shared.js';
import { renderUsers } from '../../pipeline/render.js';

export const getUsersByUsername: Operation = {
  operationId: 'getUsersByUsername',
  async handle(req) {
    const name = String(req.params.username);
    const env = renderEnv(req);
    const user = (await env.repos.users.byUsernames([name])).get(name.toLowerCase());
    return single(await renderUsers(env, [{ key: name, user }], selection(req), { parameter: 'username' }));
  },
};
