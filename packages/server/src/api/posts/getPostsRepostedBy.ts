import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { aboutPost, usersPage } from '../shared.js';
import { CURSORS, walkIds } from '../../pipeline/pagination.js';

export const getPostsRepostedBy = operation({
  operationId: 'getPostsRepostedBy',
  rateLimit: { app: 75, user: 75 },
  metering: meter.read('user'),
  handle: (req) =>
    aboutPost(req, async (id, env) => {
      // Keyed by the repost's own id (newest first); the page lists the reposting users.
      const reposters = new Map<string, string>();
      const page = await walkIds(CURSORS.repostedBy, req.params, Number(req.params.max_results ?? 100), {}, async (w) => {
        const rows = await env.repos.posts.repostsOf(id, w);
        for (const r of rows) reposters.set(r.id, r.authorId);
        return rows.map((r) => r.id);
      });
      return usersPage(req, env, { ...page, ids: page.ids.map((rid) => reposters.get(rid)!) });
    }),
});
