import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { isResult, listMeta, many, pageEdges, renderEnv, selection, str, subjectUser } from '../shared.js';
import { renderUsers } from '../../pipeline/render.js';

export const getUsersFollowing = operation({
  operationId: 'getUsersFollowing',
  rateLimit: { app: 300, user: 300 },
  metering: meter.read('follow', { owned: true }),
  async handle(req) {
    const id = String(req.params.id);
    const subject = await subjectUser(req, id, { protectedCheck: true });
    if (isResult(subject)) return subject;
    const env = renderEnv(req);
    const page = await pageEdges('g', str(req.params.pagination_token), Number(req.params.max_results ?? 100), (q) =>
      env.repos.edges.following(id, q),
    );
    const users = await env.repos.users.byIds(page.ids);
    const rendered = await renderUsers(env, page.ids.map((u) => ({ key: u, user: users.get(u) })), selection(req), { parameter: null });
    return many(rendered, listMeta(rendered.data.length, page));
  },
});
