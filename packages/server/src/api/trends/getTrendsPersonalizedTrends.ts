import { meter, PRICES } from '../../limits/metering.js';
import { postCountLabel, rankTerms, trendCategory, trendingSinceLabel, TREND_SOURCE_LIMIT, TREND_WINDOW_MS } from '../../pipeline/trends.js';
import { Unauthorized } from '../../errors.js';
import { operation } from '../operation.js';

/** X answers a short list. */
const PERSONAL_TRENDS = 20;

/**
 * GET /2/users/personalized_trends — trends among the posts of the accounts the user follows, written as X
 * writes them (`42K posts`, `Trending now`, `5 hours ago`).
 */
export const getTrendsPersonalizedTrends = operation({
  operationId: 'getTrendsPersonalizedTrends',
  rateLimit: { app: 200, user: 10, app24h: 200, user24h: 100 },
  metering: meter.request(PRICES.trends),
  async handle(req) {
    const me = req.principal?.userId;
    if (!me) throw new Unauthorized();
    const now = req.ctx.clock.now();
    const posts = await req.ctx.repos.trends.recent({ since: now - TREND_WINDOW_MS, placeIds: null, followedBy: me, limit: TREND_SOURCE_LIMIT });
    const asked = req.params['personalized_trend.fields'];
    const fields = new Set(Array.isArray(asked) ? (asked as string[]) : ['category', 'post_count', 'trend_name', 'trending_since']);
    const data = rankTerms(posts, now)
      .slice(0, PERSONAL_TRENDS)
      .map((t) => {
        const out: Record<string, unknown> = {};
        if (fields.has('category')) out.category = trendCategory(t.name);
        if (fields.has('post_count')) out.post_count = postCountLabel(t.count);
        if (fields.has('trend_name')) out.trend_name = t.name;
        if (fields.has('trending_since')) out.trending_since = trendingSinceLabel(t.firstAt, now);
        return out;
      });
    return { body: data.length ? { data } : {} };
  },
});
