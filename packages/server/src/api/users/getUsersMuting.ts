import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { listMeta, many, pageEdges, renderEnv, requireSelf, selection, str } from '../shared.js';
import { renderUsers } from '../../pipeline/render.js';

/** GET /2/users/:id/muting — the authenticated user's own list, newest first. */
export const getUsersMuting = operation({
  operationId: 'getUsersMuting',
  rateLimit: { user: 15 },
  metering: meter.read('mute', { owned: true }),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    const env = renderEnv(req);
    const page = await pageEdges('mu', str(req.params.pagination_token), Number(req.params.max_results ?? 100), (q) => env.repos.social.muting(me, q));
    const users = await env.repos.users.byIds(page.ids);
    const rendered = await renderUsers(env, page.ids.map((u) => ({ key: u, user: users.get(u) })), selection(req), { parameter: null });
    return many(rendered, listMeta(rendered.data.length, page));
  },
});
