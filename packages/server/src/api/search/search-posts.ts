/**
 * GET /2/tweets/search/recent and /2/tweets/search/all (FACTS §3, §5): the query parsed for the product, compiled
 * to SQL (search/sql.ts) and run over the search documents (data/search.ts), newest first or by relevancy.
 */
import type { Product } from '../../query/index.js';
import { meter } from '../../limits/metering.js';
import { renderPosts } from '../../pipeline/render.js';
import { encodeCursor } from '../../util/cursor.js';
import { nextCursorValue, parseSearchQuery, searchWindow } from '../../search/request.js';
import { operation, type Operation, type RateLimit } from '../operation.js';
import { many, postMeta, renderEnv, selection } from '../shared.js';

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
      const order = req.params.sort_order === 'relevancy' ? 'relevancy' : 'recency';
      const env = renderEnv(req);
      // Recency pages continue below the last id; relevancy pages at an offset.
      const kind = order === 'recency' ? 'sr' : 'sv';
      const cursor = nextCursorValue(req.params, kind);
      let before = w.before;
      let offset = 0;
      if (cursor !== null && order === 'recency') {
        if (BigInt(cursor) < BigInt(before)) before = cursor;
      } else if (cursor !== null) offset = Number(cursor);
      const got = await env.repos.search.ids(ast, { after: w.after, before, limit: limit + 1, order, offset });
      const ids = got.slice(0, limit);
      let next: string | undefined;
      if (got.length > limit) next = encodeCursor(kind, 'next', [order === 'recency' ? ids[ids.length - 1]! : offset + limit]);
      const rendered = await renderPosts(env, ids, selection(req), { parameter: null });
      return many(rendered, postMeta(rendered, { ids, next }, false));
    },
  });
}

/** The table of search operations (one declaration each). */
export const searchOperations: readonly Operation[] = [
  searchOperation('searchPostsRecent', 'recent', { app: 450, user: 300 }),
  searchOperation('searchPostsAll', 'all', { app: 300, user: 300 }),
];
