/**
 * What a stream endpoint is (its name, what it carries, how it is partitioned) and what a client asked for when
 * it connected. Shared by the stream operations and every part of the hub.
 */
import type { StreamHandover } from '../api/operation.js';
import type { Selection } from '../pipeline/selection.js';
import type { MatchDoc } from '../query/matcher.js';

export type EndpointName =
  | 'filtered_stream'
  | 'sample_stream'
  | 'sample10_stream'
  | 'firehose_stream'
  | 'firehose_stream_lang_en'
  | 'firehose_stream_lang_ja'
  | 'firehose_stream_lang_ko'
  | 'firehose_stream_lang_pt'
  | 'tweets_compliance_stream'
  | 'users_compliance_stream'
  | 'tweet_label_stream'
  | 'likes_firehose_stream'
  | 'likes_sample10_stream'
  | 'likes_compliance_stream'
  | 'activity_stream';

export type StreamKind = 'posts' | 'likes' | 'tweets_compliance' | 'users_compliance' | 'likes_compliance' | 'labels' | 'activity';

export interface StreamSpec {
  endpoint: EndpointName;
  kind: StreamKind;
  /** Posts streams: which posts this stream carries at all (sample, language). */
  accept?: (doc: MatchDoc) => boolean;
  /** Number of partitions when `partition` is required (the spec's maximum). */
  partitions?: number;
  /** Connections per app when the endpoint has its own count (the activity stream: 2); else the configured one. */
  connections?: number;
}

export interface OpenRequest {
  appId: string;
  sel: Selection;
  /** Raw query params (likes field lists). */
  params: Readonly<Record<string, unknown>>;
  partition: number | null;
  /** Replay buffered events from this time (backfill_minutes / start_time), up to `replayUntil` if set. */
  replayFrom: number | null;
  /** With end_time: the stream ends once the replay is written (recovery). */
  replayUntil: number | null;
}

export type Handover = StreamHandover;
