/** GET /2/media/analytics: timestamped metrics of the caller's own media. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { partial } from '../shared.js';
import { notFound, type Problem } from '../../pipeline/problems.js';
import { lookup } from './media-access.js';
import { invalid, userOf } from './upload-request.js';

const BUCKET_MS: Record<string, number> = { hourly: 3_600_000, daily: 86_400_000 };
const MAX_BUCKETS = 2000;
const METRICS = ['cta_url_clicks', 'cta_watch_clicks', 'play_from_tap', 'playback25', 'playback50', 'playback75', 'playback_complete', 'playback_start', 'video_views', 'watch_time_ms'] as const;

/**
 * Analytics of the caller's own media. Roost has no players, so playback counts are zero and `video_views` is
 * the media's view count in the first bucket; every bucket of the window is listed.
 */
export const getMediaAnalytics = operation({
  operationId: 'getMediaAnalytics',
  rateLimit: {},
  metering: meter.read('resource'),
  async handle(req) {
    const me = userOf(req);
    const keys = req.params.media_keys as string[];
    const start = Date.parse(String(req.params.start_time));
    const end = Date.parse(String(req.params.end_time));
    if (end <= start) throw invalid('end_time', [String(req.params.end_time)], 'The `end_time` query parameter value must be after the `start_time`.');
    const granularity = String(req.params.granularity ?? 'daily');
    const step = BUCKET_MS[granularity];
    const buckets: number[] = [];
    if (step) {
      for (let t = Math.floor(start / step) * step; t < end; t += step) {
        buckets.push(t);
        if (buckets.length > MAX_BUCKETS) throw invalid('granularity', [granularity], `The window holds more than ${MAX_BUCKETS} ${granularity} buckets.`);
      }
    } else buckets.push(start);
    const wanted = Array.isArray(req.params['media_analytics.fields']) ? new Set(req.params['media_analytics.fields'] as string[]) : null;
    const found = await lookup(req, keys);
    const data: Record<string, unknown>[] = [];
    const errors: Problem[] = [];
    for (const k of keys) {
      const m = found.get(k);
      if (!m || m.ownerId !== me) {
        errors.push(notFound('media', 'media_keys', k));
        continue;
      }
      const series = buckets.map((t, i) => {
        const metrics: Record<string, number> = {};
        for (const name of METRICS) if (!wanted || wanted.has(name) || wanted.has('timestamped_metrics')) metrics[name] = name === 'video_views' && i === 0 ? m.viewCount : 0;
        return { timestamp: new Date(t).toISOString(), metrics };
      });
      data.push({ media_key: k, timestamped_metrics: series });
    }
    return partial(data, errors);
  },
});
