// autocannon ships no types and @types/autocannon is not a dependency: the little surface bench/ uses.
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  export interface Options {
    url: string;
    connections?: number;
    pipelining?: number;
    duration?: number;
    headers?: Record<string, string>;
    method?: string;
    timeout?: number;
  }

  export interface Histogram {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    p50: number;
    p90: number;
    p99: number;
  }

  export interface Result {
    url: string;
    requests: Histogram & { total: number; sent: number };
    latency: Histogram;
    throughput: Histogram;
    errors: number;
    timeouts: number;
    mismatches: number;
    non2xx: number;
    resets: number;
    statusCodeStats: Record<string, { count: number }>;
    duration: number;
    '2xx': number;
  }

  /** Emits `response` (client, statusCode, bytes, responseTimeMs) for every response; resolves to the result. */
  export type Instance = EventEmitter & PromiseLike<Result>;

  export default function autocannon(opts: Options): Instance;
}
