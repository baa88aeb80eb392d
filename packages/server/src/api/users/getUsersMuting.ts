import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { many, renderEnv, requireSelf, selection } from '../shared.js';
import { LIST, renderUsers } from '../../pipeline/render.js';
import { CURSORS, listMeta, walkEdges } from '../../pipeline/pagination.js';

/** GET /2/users/:id/muting — the authenticated user's own list, newest first. */
export const getUsersMuting = operation({
  operationId: 'getUsersMuting',
  rateLimit: { user: 15 },
  metering: meter.read('mute', { owned: true }),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    const env = renderEnv(req);
    const page = await walkEdges(CURSORS.muting, req.params, Number(req.params.max_results ?? 100), (q) => env.repos.social.muting(me, q));
    const rendered = await renderUsers(env, { ids: page.ids }, selection(req), LIST);
    return many(rendered, listMeta(rendered.data.length, page));
  },
});
