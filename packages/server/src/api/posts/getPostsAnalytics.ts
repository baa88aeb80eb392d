import { meter } from '../../limits/metering.js';
import { buckets, presentAnalytics, type Granularity } from '../../pipeline/present-analytics.js';
import { notAuthorized, notFound } from '../../pipeline/problems.js';
import { InvalidRequest, Unauthorized } from '../../errors.js';
import { operation } from '../operation.js';
import { partial } from '../shared.js';

/** More buckets than this in one answer is refused (a year of hours per post is not a question). */
const MAX_BUCKETS = 2_000;

/**
 * GET /2/tweets/analytics — per post and per time bucket, what the world recorded: impressions (hourly rows),
 * likes, bookmarks, reposts, replies and quotes; engagements are their sum. Only the author sees a post's
 * analytics; other posts are Authorization Errors, missing ones Not Found.
 */
export const getPostsAnalytics = operation({
  operationId: 'getPostsAnalytics',
  rateLimit: {},
  metering: meter.read('post'),
  async handle(req) {
    const me = req.principal?.userId;
    if (!me) throw new Unauthorized();
    const start = Date.parse(String(req.params.start_time));
    const end = Date.parse(String(req.params.end_time));
    if (!(start < end)) throw InvalidRequest.one('start_time', [String(req.params.start_time)], 'The `start_time` query parameter value must be before the `end_time` query parameter value.');
    const granularity = String(req.params.granularity ?? 'total') as Granularity;
    const starts = buckets(start, end, granularity);
    if (starts.length > MAX_BUCKETS) throw InvalidRequest.one('granularity', [granularity], `The time range holds more than ${MAX_BUCKETS} ${granularity} buckets; ask for a shorter range or a coarser granularity.`);
    const ids = [...new Set(req.params.ids as string[])];
    const posts = await req.ctx.repos.posts.byIds(ids);
    const errors: Record<string, unknown>[] = [];
    const mine: string[] = [];
    for (const id of ids) {
      const p = posts.get(id);
      if (!p || p.deleted) errors.push(notFound('tweet', 'ids', id));
      else if (p.authorId !== me) errors.push(notAuthorized('tweet', 'ids', id, 'data'));
      else mine.push(id);
    }
    const events = await req.ctx.repos.analytics.events(mine, start, end);
    const asked = Array.isArray(req.params['analytics.fields']) ? (req.params['analytics.fields'] as string[]) : undefined;
    const byPost = new Map<string, typeof events>();
    for (const e of events) {
      const list = byPost.get(e.postId);
      if (list) list.push(e);
      else byPost.set(e.postId, [e]);
    }
    const data = mine.map((id) => presentAnalytics(id, byPost.get(id) ?? [], starts, asked));
    return partial(data, errors);
  },
});
