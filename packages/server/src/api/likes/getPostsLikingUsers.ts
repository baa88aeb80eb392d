import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { many, renderEnv, selection, subjectPost } from '../shared.js';
import { LIST, renderUsers } from '../../pipeline/render.js';
import { CURSORS, listMeta, walkEdges } from '../../pipeline/pagination.js';

export const getPostsLikingUsers = operation({
  operationId: 'getPostsLikingUsers',
  rateLimit: { app: 75, user: 75 },
  metering: meter.read('user'),
  async handle(req) {
    const id = String(req.params.id);
    const refused = await subjectPost(req, id);
    if (refused) return refused;
    const env = renderEnv(req);
    const page = await walkEdges(CURSORS.likingUsers, req.params, Number(req.params.max_results ?? 100), (q) => env.repos.edges.likingUsers(id, q));
    const rendered = await renderUsers(env, { ids: page.ids }, selection(req), LIST);
    return many(rendered, listMeta(rendered.data.length, page));
  },
});
