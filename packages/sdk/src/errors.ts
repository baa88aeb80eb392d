import type { RateLimitInfo } from './types.js';

/**
 * A non-2xx answer (status > 0), a transport failure (status 0: `NETWORK_ERROR` or `TIMEOUT`, `cause` = the
 * original error), or a 2xx whose body could not be read or parsed (its real status and headers; `statusText`
 * `TIMEOUT`, `INVALID_BODY` or `NETWORK_ERROR`; `cause` = the original error). `data` is the parsed problem body
 * (X's `title`/`detail`/`type`/`errors`), else the text.
 */
export class ApiError extends Error {
  declare readonly name: 'ApiError';
  declare readonly status: number;
  declare readonly statusText: string;
  declare readonly headers: Headers;
  declare readonly data: any;
  declare readonly rateLimit?: RateLimitInfo;

  constructor(message: string, status: number, statusText: string, headers: Headers, data: any, rateLimit?: RateLimitInfo, options?: { cause?: unknown }) {
    super(message, options);
    Object.assign(this, { name: 'ApiError', status, statusText, headers, data, rateLimit });
  }

  /** X's problem fields, when the body is one. */
  get title(): string | undefined {
    return field(this.data, 'title');
  }
  get detail(): string | undefined {
    return field(this.data, 'detail');
  }
  get type(): string | undefined {
    return field(this.data, 'type');
  }
  /** The `errors` array of a v2 problem or a v1.1 error body. */
  get errors(): any[] | undefined {
    const e = field(this.data, 'errors');
    return Array.isArray(e) ? e : undefined;
  }
}

const field = (data: any, key: string): any => (data && typeof data === 'object' ? data[key] : undefined);

/** The signal of an OAuth token request: aborts it (body included) after `ms` (default 30 s; 0 = never). */
export function timeoutSignal(ms = 30_000): AbortSignal | undefined {
  return ms > 0 ? AbortSignal.timeout(ms) : undefined;
}
