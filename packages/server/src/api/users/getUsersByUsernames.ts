import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { many, renderEnv, selection } from '../shared.js';
import { renderUsers } from '../../pipeline/render.js';

export const getUsersByUsernames = operation({
  operationId: 'getUsersByUsernames',
  rateLimit: { app: 300, user: 900 },
  metering: meter.read('user'),
  async handle(req) {
    const names = req.params.usernames as string[];
    const env = renderEnv(req);
    const users = await env.repos.users.byUsernames(names);
    const refs = names.map((n) => ({ key: n, user: users.get(n.toLowerCase()) }));
    return many(await renderUsers(env, refs, selection(req), { parameter: 'usernames' }));
  },
});
