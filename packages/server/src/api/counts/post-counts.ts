/**
 * GET /2/tweets/counts/recent and /2/tweets/counts/all (FACTS §3, §5): how many posts match per minute, hour or
 * day; full-archive counts answer 30 days per page, newest first.
 */
import type { Product } from '../../query/index.js';
import { meter, PRICES } from '../../limits/metering.js';
import { CURSORS, invalidToken, nextToken, readCursor } from '../../pipeline/pagination.js';
import { COUNTS_PAGE, DAY, HOUR, MINUTE, parseSearchQuery, searchWindow } from '../../search/request.js';
import { operation, type Operation } from '../operation.js';
import { visibleLists } from '../shared.js';

const GRANULARITY: Record<string, number> = { minute: MINUTE, hour: HOUR, day: DAY };

function countsOperation(operationId: 'getPostsCountsRecent' | 'getPostsCountsAll', product: Product, price: number): Operation {
  const recent = product === 'counts_recent';
  return operation({
    operationId,
    rateLimit: { app: 300 },
    metering: meter.request(price),
    async handle(req) {
      const ast = parseSearchQuery(req.params, product, req.ctx.config.tier);
      const w = searchWindow(req.params, req.ctx.clock.now(), recent);
      const g = GRANULARITY[String(req.params.granularity ?? 'hour')] ?? HOUR;
      // Full-archive counts answer 30 days per page, newest first; the token carries the end of the next page.
      let pageEnd = w.end;
      const cursor = readCursor(CURSORS.counts, req.params);
      if (cursor) {
        // A token from another window (another query's walk) points outside this one.
        if (cursor.key <= w.start || cursor.key > w.end) throw invalidToken(cursor.param, cursor.token);
        pageEnd = cursor.key;
      }
      const pageStart = recent ? w.start : Math.max(w.start, pageEnd - COUNTS_PAGE);
      const origin = Math.floor(pageStart / g) * g;
      const lists = await visibleLists(req, ast);
      const counts = await req.ctx.repos.search.counts(ast, { after: w.after, before: w.before, startMs: pageStart, endMs: pageEnd, originMs: origin, bucketMs: g, lists });
      const data: { end: string; start: string; tweet_count: number }[] = [];
      let total = 0;
      for (let i = 0; origin + i * g < pageEnd; i++) {
        const bStart = Math.max(pageStart, origin + i * g);
        const bEnd = Math.min(pageEnd, origin + (i + 1) * g);
        const n = counts.get(i) ?? 0;
        total += n;
        data.push({ end: new Date(bEnd).toISOString(), start: new Date(bStart).toISOString(), tweet_count: n });
      }
      const meta: Record<string, unknown> = { total_tweet_count: total };
      if (pageStart > w.start) meta.next_token = nextToken(CURSORS.counts, pageStart);
      return { body: { data, meta } };
    },
  });
}

/** The table of counts operations (one declaration each). */
export const countsOperations: readonly Operation[] = [
  countsOperation('getPostsCountsRecent', 'counts_recent', PRICES.countsRecent),
  countsOperation('getPostsCountsAll', 'counts_all', PRICES.countsAll),
];
