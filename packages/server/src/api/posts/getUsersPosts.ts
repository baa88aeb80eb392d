import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { idWindow, many, renderEnv, selection, subjectUser } from '../shared.js';
import { LIST, renderPosts } from '../../pipeline/render.js';
import { CURSORS, postListMeta, walkIds } from '../../pipeline/pagination.js';

export const getUsersPosts = operation({
  operationId: 'getUsersPosts',
  rateLimit: { app: 10_000, user: 900 },
  metering: meter.read('post'),
  async handle(req) {
    const id = String(req.params.id);
    const refused = await subjectUser(req, id);
    if (refused) return refused;
    const exclude = new Set((req.params.exclude as string[] | undefined) ?? []);
    const limit = Number(req.params.max_results ?? 10);
    const env = renderEnv(req);
    const page = await walkIds(CURSORS.userPosts, req.params, limit, idWindow(req.params), (w) =>
      env.repos.posts.idsByAuthor({
        authorId: id,
        ...w,
        excludeReplies: exclude.has('replies'),
        excludeRetweets: exclude.has('retweets'),
      }),
    );
    const rendered = await renderPosts(env, page.ids, selection(req), LIST);
    return many(rendered, postListMeta(rendered.data, page));
  },
});
