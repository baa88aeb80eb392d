import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { isResult, listMeta, many, pageIds, renderEnv, selection, str, subjectPost } from '../shared.js';
import { renderUsers } from '../../pipeline/render.js';

export const getPostsRepostedBy = operation({
  operationId: 'getPostsRepostedBy',
  rateLimit: { app: 75, user: 75 },
  metering: meter.read('user'),
  async handle(req) {
    const id = String(req.params.id);
    const subject = await subjectPost(req, id);
    if (isResult(subject)) return subject;
    const env = renderEnv(req);
    // Keyed by the repost's own id (newest first); the page lists the reposting users.
    const reposters = new Map<string, string>();
    const page = await pageIds('r', str(req.params.pagination_token), Number(req.params.max_results ?? 100), {}, async (w) => {
      const rows = await env.repos.posts.repostsOf(id, w);
      for (const r of rows) reposters.set(r.id, r.authorId);
      return rows.map((r) => r.id);
    });
    const userIds = page.ids.map((rid) => reposters.get(rid)!);
    const users = await env.repos.users.byIds(userIds);
    const rendered = await renderUsers(env, userIds.map((u) => ({ key: u, user: users.get(u) })), selection(req), { parameter: null });
    return many(rendered, listMeta(rendered.data.length, page));
  },
});
