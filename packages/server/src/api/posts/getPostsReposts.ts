import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { isResult, listMeta, many, pageIds, renderEnv, selection, str, subjectPost } from '../shared.js';
import { renderPosts } from '../../pipeline/render.js';

/** GET /2/tweets/:id/retweets — the repost posts themselves (newest first), with fields and expansions. */
export const getPostsReposts = operation({
  operationId: 'getPostsReposts',
  rateLimit: { app: 75, user: 75 },
  metering: meter.read('post'),
  async handle(req) {
    const id = String(req.params.id);
    const subject = await subjectPost(req, id);
    if (isResult(subject)) return subject;
    const env = renderEnv(req);
    const page = await pageIds('rp', str(req.params.pagination_token), Number(req.params.max_results ?? 100), {}, async (w) =>
      (await env.repos.posts.repostsOf(id, w)).map((r) => r.id),
    );
    const rendered = await renderPosts(env, page.ids, selection(req), { parameter: null });
    return many(rendered, listMeta(rendered.data.length, page));
  },
});
