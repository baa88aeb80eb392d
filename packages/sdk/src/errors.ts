import type { RateLimitInfo, RateLimitWindow } from './types.js';
import type { HeaderBag } from './transport.js';

function num(h: HeaderBag, name: string): number | undefined {
  const v = h.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function window24(h: HeaderBag, who: 'app' | 'user'): RateLimitWindow | undefined {
  const limit = num(h, `x-${who}-limit-24hour-limit`);
  if (limit === undefined) return undefined;
  return { limit, remaining: num(h, `x-${who}-limit-24hour-remaining`) ?? 0, reset: num(h, `x-${who}-limit-24hour-reset`) ?? 0 };
}

/** Rate-limit info from response headers, or undefined when the response carries none. */
export function parseRateLimit(h: HeaderBag): RateLimitInfo | undefined {
  const limit = num(h, 'x-rate-limit-limit');
  const app24h = window24(h, 'app');
  const user24h = window24(h, 'user');
  if (limit === undefined && !app24h && !user24h) return undefined;
  const info: RateLimitInfo = {};
  if (limit !== undefined) {
    info.limit = limit;
    info.remaining = num(h, 'x-rate-limit-remaining');
    info.reset = num(h, 'x-rate-limit-reset');
  }
  if (app24h) info.app24h = app24h;
  if (user24h) info.user24h = user24h;
  return info;
}

/**
 * A non-2xx answer (status > 0), a transport failure (status 0: `NETWORK_ERROR` or `TIMEOUT`, `cause` = the
 * original error), or a 2xx whose body could not be read or parsed (its real status and headers; `statusText`
 * `TIMEOUT`, `INVALID_BODY` or `NETWORK_ERROR`; `cause` = the original error). `data` is the parsed problem body
 * (X's `title`/`detail`/`type`/`errors`), else the text.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    readonly data: any,
    readonly rateLimit?: RateLimitInfo,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** X's problem fields, when the body is one. */
  get title(): string | undefined {
    return this.data && typeof this.data === 'object' ? this.data.title : undefined;
  }
  get detail(): string | undefined {
    return this.data && typeof this.data === 'object' ? this.data.detail : undefined;
  }
  get type(): string | undefined {
    return this.data && typeof this.data === 'object' ? this.data.type : undefined;
  }
  /** The `errors` array of a v2 problem or a v1.1 error body. */
  get errors(): any[] | undefined {
    return this.data && typeof this.data === 'object' && Array.isArray(this.data.errors) ? this.data.errors : undefined;
  }
}

export function messageOf(status: number, statusText: string, data: any): string {
  if (data && typeof data === 'object') {
    const text = data.message ?? data.detail ?? data.title ?? data.error_description ?? data.errors?.[0]?.message;
    if (typeof text === 'string') return `HTTP ${status}: ${text}`;
  }
  return `HTTP ${status}: ${statusText}`;
}

/** Parses an error body: JSON when it is JSON, else the text, else undefined. */
export function parseBody(text: string): any {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Copies any header bag into a WHATWG `Headers`. */
export function toHeaders(h: HeaderBag): Headers {
  if (typeof Headers !== 'undefined' && h instanceof Headers) return h;
  const out = new Headers();
  const raw: Record<string, string | string[] | undefined> = (h as any).raw ?? {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out.set(k, Array.isArray(v) ? v.join(', ') : v);
  return out;
}

/** The `ApiError` of a non-2xx response (a transport's or `fetch`'s), its body read and parsed. */
export async function responseError(res: { status: number; statusText: string; headers: HeaderBag; text(): Promise<string> }): Promise<ApiError> {
  const data = parseBody(await res.text().catch(() => ''));
  return new ApiError(messageOf(res.status, res.statusText, data), res.status, res.statusText, toHeaders(res.headers), data, parseRateLimit(res.headers));
}

/** The signal of an OAuth token request: aborts it (body included) after `ms` (default 30 s; 0 = never). */
export function timeoutSignal(ms = 30_000): AbortSignal | undefined {
  return ms > 0 ? AbortSignal.timeout(ms) : undefined;
}
