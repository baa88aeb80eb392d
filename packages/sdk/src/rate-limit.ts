/** Rate-limit headers → `RateLimitInfo`, and the info of each response object the client returned. */
import type { RateLimitInfo, RateLimitWindow } from './types.js';
import type { HeaderBag } from './transport.js';

function num(h: HeaderBag, name: string): number | undefined {
  const v = h.get(name);
  return v && Number.isFinite(+v) ? +v : undefined;
}

/** One window (`<prefix>limit`, `remaining`, `reset`), absent without its limit; `d` fills a missing field. */
function window<D>(h: HeaderBag, prefix: string, d: D): { limit: number; remaining: number | D; reset: number | D } | undefined {
  const limit = num(h, prefix + 'limit');
  return limit === undefined ? undefined : { limit, remaining: num(h, prefix + 'remaining') ?? d, reset: num(h, prefix + 'reset') ?? d };
}

/** Rate-limit info from response headers, or undefined when the response carries none. */
export function parseRateLimit(h: HeaderBag): RateLimitInfo | undefined {
  const info: RateLimitInfo = { ...window(h, 'x-rate-limit-', undefined) };
  const app24h = window(h, 'x-app-limit-24hour-', 0);
  const user24h = window(h, 'x-user-limit-24hour-', 0);
  if (app24h) info.app24h = app24h as RateLimitWindow;
  if (user24h) info.user24h = user24h as RateLimitWindow;
  return info.limit === undefined && !app24h && !user24h ? undefined : info;
}

const rateLimits = new WeakMap<object, RateLimitInfo>();

/** Rate-limit info of a response object returned by any method (undefined if the server sent none). */
export function rateLimitOf(response: unknown): RateLimitInfo | undefined {
  return response && typeof response === 'object' ? rateLimits.get(response) : undefined;
}

/** Records `info` as the rate-limit info of the response object `out`. */
export function setRateLimit(out: object, info: RateLimitInfo): void {
  rateLimits.set(out, info);
}
