import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { aboutPost, postsPage } from '../shared.js';
import { CURSORS, walkIds } from '../../pipeline/pagination.js';

/** GET /2/tweets/:id/retweets — the repost posts themselves (newest first), with fields and expansions. */
export const getPostsReposts = operation({
  operationId: 'getPostsReposts',
  rateLimit: { app: 75, user: 75 },
  metering: meter.read('post'),
  handle: (req) =>
    aboutPost(req, async (id, env) => {
      const page = await walkIds(CURSORS.reposts, req.params, Number(req.params.max_results ?? 100), {}, async (w) =>
        (await env.repos.posts.repostsOf(id, w)).map((r) => r.id),
      );
      return postsPage(req, env, page);
    }),
});
