/** Per-call options (`options.requestOptions`), as in the official client plus retry control. */
export interface RequestOptions {
  /** Milliseconds before the call is aborted (0 = none). Default: the client's `timeout`. */
  timeout?: number;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
  /** Aborts the call (and any retry wait). */
  signal?: AbortSignal;
  /** Return the transport response instead of the parsed body. */
  raw?: boolean;
  /** Override the client's `retry` / `maxRetries` for this call. */
  retry?: boolean;
  maxRetries?: number;
}

/** Options every generated method accepts. */
export interface OptionsBase {
  requestOptions?: RequestOptions;
}

/** Reconnection policy of a stream (X's guidance; all timings injectable). */
export interface ReconnectOptions {
  /** Reconnect automatically after drops (default true). */
  enabled?: boolean;
  /** Give up after this many consecutive failed attempts (default Infinity). */
  maxAttempts?: number;
  /** Network errors: linear backoff step and cap (default 250 ms, 16 s). */
  networkStepMs?: number;
  networkMaxMs?: number;
  /** HTTP errors: exponential backoff start and cap (default 5 s, 320 s). */
  httpStartMs?: number;
  httpMaxMs?: number;
  /** HTTP 429: exponential backoff start and cap (default 60 s, 960 s). */
  rateLimitStartMs?: number;
  rateLimitMaxMs?: number;
  /** No bytes (not even a keep-alive) for this long → reconnect (default 30 s; 0 disables). */
  stallMs?: number;
  /** Ask for this many minutes of backfill (1–5) when reconnecting. */
  backfillMinutes?: number;
  /** Waits; replace in tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Options every streaming method accepts. */
export interface StreamOptionsBase extends OptionsBase {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  reconnect?: ReconnectOptions;
}

export interface RateLimitWindow {
  limit: number;
  remaining: number;
  /** Epoch seconds. */
  reset: number;
}

/** Parsed `x-rate-limit-*` and 24-hour headers of a response. */
export interface RateLimitInfo extends Partial<RateLimitWindow> {
  app24h?: RateLimitWindow;
  user24h?: RateLimitWindow;
}
