import { meter, PRICES } from '../../limits/metering.js';
import { rankTerms, TREND_SOURCE_LIMIT, TREND_WINDOW_MS } from '../../pipeline/trends.js';
import { placeIdsOf } from '../../seed/woeids.js';
import { InvalidRequest } from '../../errors.js';
import { operation } from '../operation.js';

/**
 * GET /2/trends/by/woeid/:woeid — the place's trends now, computed from the recent public posts tagged with the
 * places the WOEID covers (1: every post), so a burst of posts moves them at once.
 */
export const getTrendsByWoeid = operation({
  operationId: 'getTrendsByWoeid',
  rateLimit: { app: 75 },
  metering: meter.request(PRICES.trends),
  async handle(req) {
    const woeid = Number(req.params.woeid);
    const placeIds = placeIdsOf(woeid);
    if (placeIds === undefined) throw InvalidRequest.one('woeid', [String(woeid)], `The \`woeid\` query parameter value [${woeid}] is not a supported location.`);
    const now = req.ctx.clock.now();
    const posts = await req.ctx.repos.trends.recent({ since: now - TREND_WINDOW_MS, placeIds, limit: TREND_SOURCE_LIMIT });
    const fields = new Set(Array.isArray(req.params['trend.fields']) ? (req.params['trend.fields'] as string[]) : ['trend_name', 'tweet_count']);
    const data = rankTerms(posts, now)
      .slice(0, Number(req.params.max_trends ?? 20))
      .map((t) => {
        const out: Record<string, unknown> = {};
        if (fields.has('trend_name')) out.trend_name = t.name;
        if (fields.has('tweet_count')) out.tweet_count = t.count;
        return out;
      });
    return { body: data.length ? { data } : {} };
  },
});
