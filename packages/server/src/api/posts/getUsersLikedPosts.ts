import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { many, renderEnv, selection, subjectUser } from '../shared.js';
import { LIST, renderPosts } from '../../pipeline/render.js';
import { CURSORS, listMeta, walkEdges } from '../../pipeline/pagination.js';

export const getUsersLikedPosts = operation({
  operationId: 'getUsersLikedPosts',
  rateLimit: { app: 75, user: 75 },
  metering: meter.read('post', { owned: true }),
  async handle(req) {
    const id = String(req.params.id);
    const refused = await subjectUser(req, id);
    if (refused) return refused;
    const env = renderEnv(req);
    const page = await walkEdges(CURSORS.likedPosts, req.params, Number(req.params.max_results ?? 100), (q) => env.repos.edges.likedPosts(id, q));
    const rendered = await renderPosts(env, page.ids, selection(req), LIST);
    return many(rendered, listMeta(rendered.data.length, page));
  },
});
