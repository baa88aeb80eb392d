/**
 * Everything about a failed request: the `ApiError`, retries of network errors, timeouts and 5xx with
 * jittered exponential backoff, waiting for `x-rate-limit-reset` on 429 when allowed, and one refresh of the
 * OAuth 2.0 user token after a 401. POST/PATCH are resent after a network error only if they never connected.
 */
import { responseError, toHeaders } from './error-response.js';
import { ApiError } from './errors.js';
import { parseRateLimit } from './rate-limit.js';
import type { BaseClient as Client, CallSpec } from './base.js';
import type { TransportResponse } from './transport.js';
import type { RateLimitInfo } from './types.js';
import { defaultSleep } from './sleep.js';

const OAUTH2 = 2;
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** Exponential backoff with ±50 % jitter. */
export function backoff(client: Client, attempt: number): number {
  const base = Math.min(client.config.maxRetryDelay ?? 8_000, (client.config.retryDelay ?? 500) * 2 ** attempt);
  return Math.round(base * (0.5 + Math.random() * 0.5));
}

/** When the exhausted window resets (the latest of the exhausted ones: a spent 24-hour cap outlasts the 15 minutes). */
function exhaustedReset(rl?: RateLimitInfo): number | undefined {
  if (!rl) return undefined;
  const spent = [rl.remaining === 0 ? rl.reset : undefined, rl.app24h?.remaining === 0 ? rl.app24h.reset : undefined, rl.user24h?.remaining === 0 ? rl.user24h.reset : undefined]
    .filter((x): x is number => x !== undefined);
  return spent.length ? Math.max(...spent) : rl.reset;
}

/** Errors raised before a request could reach the server (DNS, connection refused). */
function notSent(e: unknown): boolean {
  const code = (e as any)?.code ?? (e as any)?.cause?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}

/** The `ApiError` of a non-2xx response (its body read); records its rate-limit info. */
async function errorOf(client: Client, res: TransportResponse): Promise<ApiError> {
  const err = await responseError(res);
  if (err.rateLimit) client.lastRateLimit = err.rateLimit;
  return err;
}

/** A 2xx response whose body could not be read or parsed: its status and headers, the failure as `cause`. */
export function readError(spec: CallSpec, e: unknown, res: TransportResponse): ApiError {
  if (e instanceof ApiError) return e;
  const label = (e as Error)?.name === 'TimeoutError' ? 'TIMEOUT' : e instanceof SyntaxError ? 'INVALID_BODY' : 'NETWORK_ERROR';
  return new ApiError(`Failed to read the response of ${spec.name}: ${(e as Error)?.message}`, res.status, label, toHeaders(res.headers), e, parseRateLimit(res.headers), { cause: e });
}

/**
 * Continues a call whose first attempt threw `error` or answered `res` (non-2xx): retries as allowed and returns
 * a 2xx response, or throws the `ApiError` of the last failure.
 */
export async function recover(
  client: Client,
  spec: CallSpec,
  mode: number,
  attempt: () => Promise<TransportResponse>,
  error: unknown,
  res: TransportResponse | undefined,
): Promise<TransportResponse> {
  const opts = spec.opts ?? {};
  const retry = opts.retry ?? client.retry;
  const maxRetries = retry ? opts.maxRetries ?? client.maxRetries : 0;
  let refreshed = false;
  let given = true;
  for (let n = 0; ; n++) {
    if (!given) {
      try {
        res = await attempt();
        error = undefined;
      } catch (e) {
        res = undefined;
        error = e;
      }
    }
    given = false;
    if (!res) {
      // The caller's abort: its reason, as given (node:http reports a generic AbortError).
      if (opts.signal?.aborted) throw opts.signal.reason;
      const timedOut = (error as Error)?.name === 'TimeoutError';
      const err = new ApiError(
        timedOut ? `${spec.name} ${(error as Error).message}` : `Network error on ${spec.name}: ${(error as Error)?.message}`,
        0, timedOut ? 'TIMEOUT' : 'NETWORK_ERROR', new Headers(), error, undefined, { cause: error },
      );
      // A POST/PATCH that may have reached the server is not resent (it could post twice); one that never
      // connected is.
      if (n < maxRetries && (IDEMPOTENT.has(spec.method) || notSent(error))) {
        await (client.config.sleep ?? defaultSleep)(backoff(client, n), opts.signal);
        continue;
      }
      throw err;
    }
    if (res.status >= 200 && res.status < 300) return res;
    const status = res.status;
    const headers = res.headers;
    const err = await errorOf(client, res);
    if (status === 401 && mode === OAUTH2 && !refreshed && client.oauth2?.getToken()?.refresh_token) {
      refreshed = true;
      await client.refreshUserToken();
      n--;
      continue;
    }
    if (status === 429 && retry && client.config.waitOnRateLimit && n < maxRetries) {
      const reset = exhaustedReset(err.rateLimit);
      const wait = reset !== undefined ? reset * 1000 - (client.config.now ?? Date.now)() + 1000 : Number(headers.get('retry-after') ?? NaN) * 1000;
      if (Number.isFinite(wait) && wait <= (client.config.maxRateLimitWait ?? 16 * 60_000)) {
        await (client.config.sleep ?? defaultSleep)(Math.max(0, wait), opts.signal);
        continue;
      }
    }
    if (status >= 500 && n < maxRetries) {
      const after = Number(headers.get('retry-after'));
      await (client.config.sleep ?? defaultSleep)(Number.isFinite(after) && after > 0 ? after * 1000 : backoff(client, n), opts.signal);
      continue;
    }
    throw err;
  }
}
