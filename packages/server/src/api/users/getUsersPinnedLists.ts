/**
 * GET /2/users/:id/pinned_lists — the authenticated user's own pins (a setting of theirs, like bookmarks: another
 * user's id is X's 403), newest pin first, unpaginated (at most 5).
 */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { many, renderEnv, requireSelf, selection } from '../shared.js';
import { LIST, renderLists } from '../../pipeline/render.js';
import { listScope } from '../../pipeline/rules.js';

export const getUsersPinnedLists = operation({
  operationId: 'getUsersPinnedLists',
  rateLimit: { user: 15 },
  metering: meter.read('list', { owned: true }),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    const env = renderEnv(req);
    const rendered = await renderLists(env, await env.repos.lists.pinned(me, listScope(env.viewer)), selection(req), LIST);
    return many(rendered, { result_count: rendered.data.length });
  },
});
