import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { many, renderEnv, selection, subjectUser } from '../shared.js';
import { LIST, renderUsers } from '../../pipeline/render.js';
import { CURSORS, listMeta, walkEdges } from '../../pipeline/pagination.js';

export const getUsersFollowers = operation({
  operationId: 'getUsersFollowers',
  rateLimit: { app: 300, user: 300 },
  metering: meter.read('follow', { owned: true }),
  async handle(req) {
    const id = String(req.params.id);
    const refused = await subjectUser(req, id);
    if (refused) return refused;
    const env = renderEnv(req);
    const page = await walkEdges(CURSORS.followers, req.params, Number(req.params.max_results ?? 100), (q) => env.repos.edges.followers(id, q));
    const rendered = await renderUsers(env, { ids: page.ids }, selection(req), LIST);
    return many(rendered, listMeta(rendered.data.length, page));
  },
});
