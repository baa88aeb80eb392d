import type { RateLimitInfo } from './types.js';

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

/** The signal of an OAuth token request: aborts it (body included) after `ms` (default 30 s; 0 = never). */
export function timeoutSignal(ms = 30_000): AbortSignal | undefined {
  return ms > 0 ? AbortSignal.timeout(ms) : undefined;
}
