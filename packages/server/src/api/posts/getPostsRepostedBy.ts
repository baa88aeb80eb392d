import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { many, renderEnv, selection, subjectPost } from '../shared.js';
import { LIST, renderUsers } from '../../pipeline/render.js';
import { CURSORS, listMeta, walkIds } from '../../pipeline/pagination.js';

export const getPostsRepostedBy = operation({
  operationId: 'getPostsRepostedBy',
  rateLimit: { app: 75, user: 75 },
  metering: meter.read('user'),
  async handle(req) {
    const id = String(req.params.id);
    const refused = await subjectPost(req, id);
    if (refused) return refused;
    const env = renderEnv(req);
    // Keyed by the repost's own id (newest first); the page lists the reposting users.
    const reposters = new Map<string, string>();
    const page = await walkIds(CURSORS.repostedBy, req.params, Number(req.params.max_results ?? 100), {}, async (w) => {
      const rows = await env.repos.posts.repostsOf(id, w);
      for (const r of rows) reposters.set(r.id, r.authorId);
      return rows.map((r) => r.id);
    });
    const rendered = await renderUsers(env, { ids: page.ids.map((rid) => reposters.get(rid)!) }, selection(req), LIST);
    return many(rendered, listMeta(rendered.data.length, page));
  },
});
