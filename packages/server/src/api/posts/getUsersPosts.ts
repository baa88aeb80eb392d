import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { idWindow, isResult, many, pageIds, postMeta, renderEnv, selection, str, subjectUser } from '../shared.js';
import { renderPosts } from '../../pipeline/render.js';

export const getUsersPosts = operation({
  operationId: 'getUsersPosts',
  rateLimit: { app: 10_000, user: 900 },
  metering: meter.read('post'),
  async handle(req) {
    const id = String(req.params.id);
    const subject = await subjectUser(req, id, { protectedCheck: true });
    if (isResult(subject)) return subject;
    const exclude = new Set((req.params.exclude as string[] | undefined) ?? []);
    const limit = Number(req.params.max_results ?? 10);
    const env = renderEnv(req);
    const page = await pageIds('t', str(req.params.pagination_token), limit, idWindow(req.params), (w) =>
      env.repos.posts.idsByAuthor({
        authorId: id,
        ...w,
        excludeReplies: exclude.has('replies'),
        excludeRetweets: exclude.has('retweets'),
      }),
    );
    const rendered = await renderPosts(env, page.ids, selection(req), { parameter: null });
    return many(rendered, postMeta(rendered, page));
  },
});
