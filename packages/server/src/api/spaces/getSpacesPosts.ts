import { meter } from '../../limits/metering.js';
import { CURSORS, postListMeta, walkIds } from '../../pipeline/pagination.js';
import { LIST, renderPosts } from '../../pipeline/render.js';
import { parseQuery } from '../../query/index.js';
import { operation } from '../operation.js';
import { subjectSpace } from './space-pages.js';
import { many, renderEnv, selection } from '../shared.js';

/**
 * GET /2/spaces/:id/tweets — the posts shared in a Space: posts linking to it (`x.com/i/spaces/<id>`), found
 * through the search index as `url:` finds them, newest first.
 */
export const getSpacesPosts = operation({
  operationId: 'getSpacesPosts',
  rateLimit: { app: 300, user: 300 },
  metering: meter.read('post'),
  async handle(req) {
    const id = String(req.params.id);
    const subject = await subjectSpace(req, id);
    if ('refused' in subject) return subject.refused;
    const parsed = parseQuery(`url:"x.com/i/spaces/${id}"`, { product: 'all' });
    if (!parsed.ok) throw new Error(`space link query did not parse: ${parsed.messages.join('; ')}`);
    const env = renderEnv(req);
    const page = await walkIds(CURSORS.spacePosts, req.params, Number(req.params.max_results ?? 100), {}, (q) =>
      env.repos.search.ids(parsed.ast, { after: q.after, before: q.before, limit: q.limit, order: 'recency' }),
    );
    const rendered = await renderPosts(env, page.ids, selection(req), LIST);
    return many(rendered, postListMeta(rendered.data, page));
  },
});
