import { meter } from '../../limits/metering.js';
import { NEWS_DEFAULT_AGE_MS } from '../../pipeline/news.js';
import { newsFields, presentStory } from '../../pipeline/present-news.js';
import { searchTokens } from '../../query/tokens.js';
import { operation } from '../operation.js';
import { storiesWithin } from '../news/news-stories.js';

/**
 * GET /2/news/search — stories of the last `max_age_hours` (default 168) whose name, keywords or posts hold every
 * word of the query (case- and accent-folded, as search folds them), the liveliest first.
 */
export const searchNews = operation({
  operationId: 'searchNews',
  rateLimit: { app: 300, user: 300 },
  metering: meter.read('resource'),
  async handle(req) {
    const words = searchTokens(String(req.params.query));
    const stories = await storiesWithin(req, req.params.max_age_hours === undefined ? NEWS_DEFAULT_AGE_MS : Number(req.params.max_age_hours) * 3_600_000);
    const fields = newsFields(req.params);
    const data = stories
      .filter((s) => {
        if (!words.length) return false;
        const tokens = new Set(searchTokens([s.name, ...s.keywords.map(([k]) => k), ...s.posts.map((p) => p.text)].join('\n')));
        return words.every((w) => tokens.has(w));
      })
      .slice(0, Number(req.params.max_results ?? 10))
      .map((s) => presentStory(s, fields));
    return { body: data.length ? { data, meta: { result_count: data.length } } : { meta: { result_count: 0 } } };
  },
});
