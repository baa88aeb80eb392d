import type { Operation } from '../types.js';
import { renderEnv, selection, single } from '../shared.js';
import { renderUsers } from '../../pipeline/render.js';

export const getUsersMe: Operation = {
  operationId: 'getUsersMe',
  async handle(req) {
    // The contract admits only user-context auth here, so a user id is always present.
    const id = req.principal!.userId!;
    const env = renderEnv(req);
    const user = (await env.repos.users.byIds([id])).get(id);
    return single(await renderUsers(env, [{ key: id, user }], selection(req), { parameter: 'id' }));
  },
};
