import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { isResult, listMeta, many, pageEdges, renderEnv, selection, str, subjectPost } from '../shared.js';
import { renderUsers } from '../../pipeline/render.js';

export const getPostsLikingUsers = operation({
  operationId: 'getPostsLikingUsers',
  rateLimit: { app: 75, user: 75 },
  metering: meter.read('user'),
  async handle(req) {
    const id = String(req.params.id);
    const subject = await subjectPost(req, id);
    if (isResult(subject)) return subject;
    const env = renderEnv(req);
    const page = await pageEdges('l', str(req.params.pagination_token), Number(req.params.max_results ?? 100), (q) =>
      env.repos.edges.likingUsers(id, q),
    );
    const users = await env.repos.users.byIds(page.ids);
    const rendered = await renderUsers(env, page.ids.map((u) => ({ key: u, user: users.get(u) })), selection(req), { parameter: null });
    return many(rendered, listMeta(rendered.data.length, page));
  },
});
