import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { isResult, listMeta, many, pageEdges, renderEnv, selection, str, subjectUser } from '../shared.js';
import { renderPosts } from '../../pipeline/render.js';

export const getUsersLikedPosts = operation({
  operationId: 'getUsersLikedPosts',
  rateLimit: { app: 75, user: 75 },
  metering: meter.read('post', { owned: true }),
  async handle(req) {
    const id = String(req.params.id);
    const subject = await subjectUser(req, id, { protectedCheck: true });
    if (isResult(subject)) return subject;
    const env = renderEnv(req);
    const page = await pageEdges('k', str(req.params.pagination_token), Number(req.params.max_results ?? 100), (q) =>
      env.repos.edges.likedPosts(id, q),
    );
    const rendered = await renderPosts(env, page.ids, selection(req), { parameter: null });
    return many(rendered, listMeta(rendered.data.length, page));
  },
});
