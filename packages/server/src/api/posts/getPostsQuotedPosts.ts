import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { isResult, many, pageIds, renderEnv, selection, str, subjectPost } from '../shared.js';
import { renderPosts } from '../../pipeline/render.js';

export const getPostsQuotedPosts = operation({
  operationId: 'getPostsQuotedPosts',
  rateLimit: { app: 75, user: 75 },
  metering: meter.read('post'),
  async handle(req) {
    const id = String(req.params.id);
    const subject = await subjectPost(req, id);
    if (isResult(subject)) return subject;
    const env = renderEnv(req);
    const exclude = new Set((req.params.exclude as string[] | undefined) ?? []);
    const page = await pageIds('q', str(req.params.pagination_token), Number(req.params.max_results ?? 10), {}, (w) =>
      env.repos.posts.idsQuoting(id, { ...w, excludeReplies: exclude.has('replies') }),
    );
    const rendered = await renderPosts(env, page.ids, selection(req), { parameter: null });
    const meta: Record<string, unknown> = { result_count: rendered.data.length };
    if (page.next) meta.next_token = page.next;
    return many(rendered, meta);
  },
});
