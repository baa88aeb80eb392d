import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { many, renderEnv, selection, subjectPost } from '../shared.js';
import { LIST, renderPosts } from '../../pipeline/render.js';
import { CURSORS, listMeta, walkIds } from '../../pipeline/pagination.js';

/** GET /2/tweets/:id/retweets — the repost posts themselves (newest first), with fields and expansions. */
export const getPostsReposts = operation({
  operationId: 'getPostsReposts',
  rateLimit: { app: 75, user: 75 },
  metering: meter.read('post'),
  async handle(req) {
    const id = String(req.params.id);
    const refused = await subjectPost(req, id);
    if (refused) return refused;
    const env = renderEnv(req);
    const page = await walkIds(CURSORS.reposts, req.params, Number(req.params.max_results ?? 100), {}, async (w) =>
      (await env.repos.posts.repostsOf(id, w)).map((r) => r.id),
    );
    const rendered = await renderPosts(env, page.ids, selection(req), LIST);
    return many(rendered, listMeta(rendered.data.length, page));
  },
});
