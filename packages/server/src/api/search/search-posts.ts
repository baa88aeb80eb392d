/**
 * GET /2/tweets/search/recent and /2/tweets/search/all (FACTS §3, §5): the query parsed for the product, compiled
 * to SQL (search/sql.ts) and run over the search documents (data/search.ts), newest first or by relevancy.
 */
import type { Product } from '../../query/index.js';
import { meter } from '../../limits/metering.js';
import { LIST, renderPosts } from '../../pipeline/render.js';
import { CURSORS, postListMeta, walkIds, walkOffset } from '../../pipeline/pagination.js';
import { parseSearchQuery, searchWindow } from '../../search/request.js';
import { operation, type Operation, type RateLimit } from '../operation.js';
import { many, renderEnv, selection, visibleLists } from '../shared.js';

function searchOperation(operationId: 'searchPostsRecent' | 'searchPostsAll', product: Product, rateLimit: RateLimit): Operation {
  const recent = product === 'recent';
  return operation({
    operationId,
    rateLimit,
    metering: meter.read('post'),
    async handle(req) {
      const ast = parseSearchQuery(req.params, product, req.ctx.config.tier);
      const w = searchWindow(req.params, req.ctx.clock.now(), recent);
      const limit = Number(req.params.max_results ?? 10);
      const env = renderEnv(req);
      const search = env.repos.search;
      const lists = await visibleLists(req, ast);
      // Recency pages continue below the last id; relevancy pages at an offset.
      const page =
        req.params.sort_order === 'relevancy'
          ? await walkOffset(CURSORS.searchRelevant, req.params, limit, (offset, n) => search.ids(ast, { after: w.after, before: w.before, limit: n, order: 'relevancy', offset, lists }))
          : await walkIds(CURSORS.searchRecent, req.params, limit, w, (q) => search.ids(ast, { after: q.after!, before: q.before!, limit: q.limit, order: 'recency', offset: 0, lists }));
      const rendered = await renderPosts(env, page.ids, selection(req), LIST);
      return many(rendered, postListMeta(rendered.data, page));
    },
  });
}

/** The table of search operations (one declaration each). */
export const searchOperations: readonly Operation[] = [
  searchOperation('searchPostsRecent', 'recent', { app: 450, user: 300 }),
  searchOperation('searchPostsAll', 'all', { app: 300, user: 300 }),
];
