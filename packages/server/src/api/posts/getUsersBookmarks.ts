import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { many, renderEnv, requireSelf, selection } from '../shared.js';
import { LIST, renderPosts } from '../../pipeline/render.js';
import { CURSORS, listMeta, walkEdges } from '../../pipeline/pagination.js';

/** GET /2/users/:id/bookmarks — the user's own bookmarks, newest first; posts they can no longer see drop out. */
export const getUsersBookmarks = operation({
  operationId: 'getUsersBookmarks',
  rateLimit: { user: 180 },
  metering: meter.read('post', { owned: true }),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    const env = renderEnv(req);
    const page = await walkEdges(CURSORS.bookmarks, req.params, Number(req.params.max_results ?? 100), (q) => env.repos.social.bookmarks(me, q));
    const rendered = await renderPosts(env, page.ids, selection(req), LIST);
    return many(rendered, listMeta(rendered.data.length, page));
  },
});
