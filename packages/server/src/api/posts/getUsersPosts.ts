import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { aboutUser, idWindow, timelinePage } from '../shared.js';
import { CURSORS, walkIds } from '../../pipeline/pagination.js';
import { communityScope } from '../../pipeline/rules.js';

export const getUsersPosts = operation({
  operationId: 'getUsersPosts',
  rateLimit: { app: 10_000, user: 900 },
  metering: meter.read('post'),
  handle: (req) =>
    aboutUser(req, async (id, env) => {
      const exclude = new Set((req.params.exclude as string[] | undefined) ?? []);
      const page = await walkIds(CURSORS.userPosts, req.params, Number(req.params.max_results ?? 10), idWindow(req.params), (w) =>
        env.repos.posts.idsByAuthor({
          authorId: id,
          communities: communityScope(env.viewer),
          ...w,
          excludeReplies: exclude.has('replies'),
          excludeRetweets: exclude.has('retweets'),
        }),
      );
      return timelinePage(req, env, page);
    }),
});
