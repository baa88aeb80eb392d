import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { listMeta, many, pageEdges, renderEnv, requireSelf, selection, str } from '../shared.js';
import { renderPosts } from '../../pipeline/render.js';

/** GET /2/users/:id/bookmarks — the user's own bookmarks, newest first; posts they can no longer see drop out. */
export const getUsersBookmarks = operation({
  operationId: 'getUsersBookmarks',
  rateLimit: { user: 180 },
  metering: meter.read('post', { owned: true }),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    const env = renderEnv(req);
    const page = await pageEdges('bm', str(req.params.pagination_token), Number(req.params.max_results ?? 100), (q) => env.repos.social.bookmarks(me, q));
    const rendered = await renderPosts(env, page.ids, selection(req), { parameter: null });
    return many(rendered, listMeta(rendered.data.length, page));
  },
});
