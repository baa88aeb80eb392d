/**
 * The streaming operations (FACTS §6.3, §6.5): filtered stream, 1 % / 10 % samples, firehose (+ language
 * firehoses), likes firehose / sample, the compliance and label streams, and the X Activity stream (FACTS §12.3:
 * the app's activity subscriptions, 450 connects per 15 minutes, 2 connections). Each checks its slot and hands the
 * socket to the stream hub (streams/hub.ts); `backfill_minutes` (0–5) and `start_time`/`end_time` replay from
 * the hub's last five minutes of events (with `end_time` the stream ends after the replay, like X's recovery).
 */
import type { OperationId } from '@roost/contract';
import { meter } from '../../limits/metering.js';
import { operation, type Operation, type RateLimit } from '../operation.js';
import { selectionFrom } from '../../pipeline/selection.js';
import { sampleBucket } from '../../query/matcher.js';
import type { EndpointName, StreamKind, StreamSpec } from '../../streams/hub.js';
import { checkStartBeforeEnd } from '../../search/request.js';
import { appOf, str } from '../shared.js';

function streamOperation(operationId: OperationId, spec: StreamSpec, rateLimit: RateLimit = {}): Operation {
  return operation({
    operationId,
    rateLimit,
    metering: meter.stream,
    async handle(req) {
      const appId = appOf(req);
      const now = req.ctx.clock.now();
      const start = str(req.params.start_time);
      const end = str(req.params.end_time);
      checkStartBeforeEnd(start, end);
      const backfill = (req.params.backfill_minutes as number | undefined) ?? 0;
      let replayFrom: number | null = backfill > 0 ? now - backfill * 60_000 : null;
      if (start) replayFrom = Date.parse(start);
      const replayUntil = end ? Date.parse(end) : null;
      if (replayUntil !== null && replayFrom === null) replayFrom = now - 5 * 60_000;
      const takeOver = await req.ctx.streams.prepare(spec, {
        appId,
        sel: selectionFrom(req.params),
        params: req.params,
        partition: (req.params.partition as number | undefined) ?? null,
        replayFrom,
        replayUntil,
      });
      return { body: undefined, stream: takeOver };
    },
  });
}

const posts = (endpoint: EndpointName, extra: Partial<StreamSpec> = {}): StreamSpec => ({ endpoint, kind: 'posts', ...extra });
const lang = (code: string) => (d: { post: { lang: string } }) => d.post.lang.toLowerCase() === code;
const other = (endpoint: EndpointName, kind: StreamKind, partitions?: number): StreamSpec => ({ endpoint, kind, partitions });

/** The table of stream operations (one declaration each). */
export const streamOperations: readonly Operation[] = [
  streamOperation('streamPosts', posts('filtered_stream'), { app: 50 }),
  streamOperation('streamPostsSample', posts('sample_stream', { accept: (d) => sampleBucket(d.post.id) < 1 })),
  streamOperation('streamPostsSample10', posts('sample10_stream', { accept: (d) => sampleBucket(d.post.id) < 10, partitions: 2 })),
  streamOperation('streamPostsFirehose', posts('firehose_stream', { partitions: 20 })),
  streamOperation('streamPostsFirehoseEn', posts('firehose_stream_lang_en', { accept: lang('en'), partitions: 8 })),
  streamOperation('streamPostsFirehoseJa', posts('firehose_stream_lang_ja', { accept: lang('ja'), partitions: 2 })),
  streamOperation('streamPostsFirehoseKo', posts('firehose_stream_lang_ko', { accept: lang('ko'), partitions: 2 })),
  streamOperation('streamPostsFirehosePt', posts('firehose_stream_lang_pt', { accept: lang('pt'), partitions: 2 })),
  streamOperation('streamLikesFirehose', other('likes_firehose_stream', 'likes', 20)),
  streamOperation('streamLikesSample10', other('likes_sample10_stream', 'likes', 2)),
  streamOperation('streamPostsCompliance', other('tweets_compliance_stream', 'tweets_compliance', 4)),
  streamOperation('streamUsersCompliance', other('users_compliance_stream', 'users_compliance', 4)),
  streamOperation('streamLikesCompliance', other('likes_compliance_stream', 'likes_compliance')),
  streamOperation('streamLabelsCompliance', other('tweet_label_stream', 'labels')),
  streamOperation('activityStream', { endpoint: 'activity_stream', kind: 'activity', connections: 2 }, { app: 450 }),
];
