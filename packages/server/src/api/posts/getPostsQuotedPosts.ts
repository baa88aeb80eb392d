import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { many, renderEnv, selection, subjectPost } from '../shared.js';
import { LIST, renderPosts } from '../../pipeline/render.js';
import { CURSORS, listMeta, walkIds } from '../../pipeline/pagination.js';

export const getPostsQuotedPosts = operation({
  operationId: 'getPostsQuotedPosts',
  rateLimit: { app: 75, user: 75 },
  metering: meter.read('post'),
  async handle(req) {
    const id = String(req.params.id);
    const refused = await subjectPost(req, id);
    if (refused) return refused;
    const env = renderEnv(req);
    const exclude = new Set((req.params.exclude as string[] | undefined) ?? []);
    const page = await walkIds(CURSORS.quotes, req.params, Number(req.params.max_results ?? 10), {}, (w) =>
      env.repos.posts.idsQuoting(id, { ...w, excludeReplies: exclude.has('replies') }),
    );
    const rendered = await renderPosts(env, page.ids, selection(req), LIST);
    return many(rendered, listMeta(rendered.data.length, page));
  },
});
