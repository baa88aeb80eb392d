import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { aboutPost, postsPage } from '../shared.js';
import { CURSORS, walkIds } from '../../pipeline/pagination.js';

export const getPostsQuotedPosts = operation({
  operationId: 'getPostsQuotedPosts',
  rateLimit: { app: 75, user: 75 },
  metering: meter.read('post'),
  handle: (req) =>
    aboutPost(req, async (id, env) => {
      const exclude = new Set((req.params.exclude as string[] | undefined) ?? []);
      const page = await walkIds(CURSORS.quotes, req.params, Number(req.params.max_results ?? 10), {}, (w) =>
        env.repos.posts.idsQuoting(id, { ...w, excludeReplies: exclude.has('replies') }),
      );
      return postsPage(req, env, page);
    }),
});
