/**
 * `BaseClient`: configuration, authentication, the transport, and one call's whole life (auth header, timeout,
 * retries, the `ApiError` of a failure, parsing). Everything it needs is imported statically, so what a bundle holds
 * is decided by what the app imports: `Client` (all 21 sub-clients) or a sub-client / operation function on its own.
 */
import { parseRateLimit, setRateLimit } from './rate-limit.js';
import { camelKeys } from './keys.js';
import { fetchTransport, type Transport, type TransportResponse } from './transport.js';
import { defaultTransport, nodeOnlyTransport } from './platform.js';
import { readError, recover } from './retry.js';
import { userAuthorization } from './user-auth.js';
import type { RateLimitInfo, RequestOptions } from './types.js';
import type { OAuth2 } from './oauth2.js';

export const VERSION = '0.1.0';

/** What the client needs of an OAuth 1.0a signer (an `OAuth1` instance). */
export interface OAuth1Signer {
  accessToken?: { accessToken: string; accessTokenSecret: string };
  buildRequestHeader(method: string, url: string, body?: string): Promise<string>;
}

export interface ClientConfig {
  /** Default `https://api.x.com`. */
  baseUrl?: string;
  /** App-only OAuth 2.0 bearer token. */
  bearerToken?: string;
  /** OAuth 2.0 user access token. */
  accessToken?: string;
  /** An `OAuth1` instance holding an access token (user context). */
  oauth1?: OAuth1Signer;
  /**
   * An `OAuth2` instance holding a user token: its access token is used like `accessToken`, refreshed
   * automatically shortly before it expires (and once after a 401) when it has a refresh token.
   */
  oauth2?: OAuth2;
  /** Extra default headers. */
  headers?: Record<string, string>;
  /** Milliseconds per request (default 30000, 0 = none). */
  timeout?: number;
  /**
   * Retry network errors, timeouts, 5xx and (with `waitOnRateLimit`) 429 (default true). POST/PATCH are resent
   * after a network error only when the connection was never made.
   */
  retry?: boolean;
  /** Default 3. */
  maxRetries?: number;
  /** On 429, wait until `x-rate-limit-reset` and retry, if that is at most `maxRateLimitWait` ms away (default false). */
  waitOnRateLimit?: boolean;
  /** Default 16 minutes (a 15-minute window plus slack). */
  maxRateLimitWait?: number;
  /** Backoff of retries: first delay and cap in ms (jittered ±50 %); default 500 ms, 8 s. */
  retryDelay?: number;
  maxRetryDelay?: number;
  /** `'auto'` (node:http where available, else fetch), `'fetch'`, `'node'`, or your own transport. */
  transport?: 'auto' | 'fetch' | 'node' | Transport;
  /** Converts response keys to camelCase like the official client (default true). */
  camelCase?: boolean;
  /** Clock and sleep, for tests. */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Options of `Client.request` (the official low-level entry point). */
export interface ClientRequestOptions extends RequestOptions {
  body?: string;
  /** The operation's security requirements, e.g. `[{ BearerToken: [] }, { OAuth2UserToken: ['tweet.read'] }]`. */
  security?: readonly Record<string, readonly string[]>[];
  binary?: boolean;
}

export type AuthType = 'bearer_token' | 'oauth2_user_context' | 'oauth1';
const BEARER = 1;
const OAUTH2 = 2;
const OAUTH1 = 4;
const TYPES: AuthType[] = ['bearer_token', 'oauth2_user_context', 'oauth1'];
const SCHEMES = ['BearerToken', 'OAuth2UserToken', 'UserToken'];
/** A security scheme name (and the official aliases) → its bit. */
export const bitOf = (scheme: string): number =>
  /^Bearer(Token)?$/.test(scheme) ? BEARER : /^OAuth2(User(Token)?)?$/.test(scheme) ? OAUTH2 : /^(UserToken|OAuth1(User)?)$/.test(scheme) ? OAUTH1 : 0;
/** The names of the bits set in `mask`, in bearer, OAuth2 user, OAuth1 order. */
const names = (mask: number, of: string[]): string[] => of.filter((_, i) => mask & (1 << i));

/** Internal description of one call, produced by operation functions or `request`. */
export interface CallSpec {
  method: string;
  /** Path and query, e.g. `/2/users/1?user.fields=id`. */
  path: string;
  body?: string;
  contentType?: string;
  /** Bitmask of acceptable auth (1 bearer, 2 OAuth2 user, 4 OAuth1); 0 = no requirement. */
  auth: number;
  binary?: boolean;
  raw?: boolean;
  /** A long-lived body read incrementally (streams): passed to the transport as `stream`. */
  stream?: boolean;
  opts?: RequestOptions;
  /** Label for errors. */
  name: string;
}

/**
 * The client without sub-clients: what operation functions (`getUsersByUsername(client, …)`) and sub-clients built on
 * their own (`new UsersClient(client)`) take. `Client` is a `BaseClient` with all 21 sub-clients.
 */
export class BaseClient {
  declare readonly baseUrl: string;
  declare readonly bearerToken?: string;
  declare readonly oauth1?: OAuth1Signer;
  declare readonly oauth2?: OAuth2;
  /** Default headers (lower-case names). */
  declare readonly headers: Record<string, string>;
  declare readonly timeout: number;
  declare readonly retry: boolean;
  declare readonly maxRetries: number;
  declare readonly transport: Transport;
  /** The configuration as given (retry and rate-limit settings are read from it when a request fails). */
  declare readonly config: ClientConfig;
  /** Rate-limit info of the most recent response that carried any. */
  declare lastRateLimit?: RateLimitInfo;
  declare private refreshing?: Promise<unknown>;


  constructor(config: ClientConfig | OAuth1Signer = {}) {
    // Like the official client, an OAuth1 instance may be passed on its own.
    const c: ClientConfig = 'buildRequestHeader' in config ? { oauth1: config } : config;
    const t = c.transport ?? 'auto';
    Object.assign(this, {
      config: { ...c }, // a snapshot: changing the caller's object later changes nothing
      baseUrl: (c.baseUrl ?? 'https://api.x.com').replace(/\/+$/, ''),
      bearerToken: c.bearerToken,
      oauth1: c.oauth1,
      oauth2: c.oauth2,
      headers: { 'user-agent': `roost-sdk-typescript/${VERSION}`, accept: 'application/json', ...lower(c.headers) },
      timeout: c.timeout ?? 30_000,
      retry: c.retry ?? true,
      maxRetries: c.maxRetries ?? 3,
      transport: typeof t === 'function' ? t : t === 'fetch' ? fetchTransport() : t === 'node' ? nodeOnlyTransport() : defaultTransport(),
    });
  }

  /** The OAuth 2.0 user access token in use (from `oauth2` when configured). */
  get accessToken(): string | undefined {
    return this.oauth2?.getToken()?.access_token ?? this.config.accessToken;
  }

  isAuthenticated(): boolean {
    return this.available() !== 0;
  }

  getAvailableAuthTypes(): AuthType[] {
    return names(this.available(), TYPES) as AuthType[];
  }

  mapSecuritySchemeToAuthTypes(scheme: string): AuthType[] {
    return names(bitOf(scheme), TYPES) as AuthType[];
  }

  /** Throws unless one of the schemes can be satisfied with the configured credentials. */
  validateAuthentication(requiredSchemes: readonly string[], operationName: string): void {
    const mask = requiredSchemes.reduce((m, s) => m | bitOf(s), 0);
    if (mask && !(mask & this.available())) throw this.authError(mask, operationName);
  }

  /** The official low-level entry point: `request('GET', '/2/users/me?user.fields=id', { security })`. */
  async request<T = any>(method: string, path: string, options: ClientRequestOptions = {}): Promise<T> {
    return this.send({
      method: method.toUpperCase(),
      path,
      body: options.body,
      contentType: options.body !== undefined ? 'application/json' : undefined,
      auth: (options.security ?? []).reduce((m, r) => Object.keys(r).reduce((mm, k) => mm | bitOf(k), m), 0),
      binary: options.binary,
      raw: options.raw,
      opts: options,
      name: `${method} ${path.split('?')[0]}`,
    });
  }

  private available(): number {
    return (this.bearerToken ? BEARER : 0) | (this.accessToken ? OAUTH2 : 0) | (this.oauth1?.accessToken ? OAUTH1 : 0);
  }

  /** The official selection: one acceptable scheme → it; several → writes prefer OAuth1 > OAuth2 user > bearer, reads the reverse. */
  selectAuth(method: string, mask: number): number {
    const avail = this.available() & (mask || 7);
    for (const b of mask && method !== 'GET' && method !== 'HEAD' ? [OAUTH1, OAUTH2, BEARER] : [BEARER, OAUTH2, OAUTH1]) if (avail & b) return b;
    return 0;
  }

  private authError(mask: number, name: string): Error {
    const have = this.getAvailableAuthTypes();
    return new Error(`Authentication required for ${name}. Required: ${names(mask, SCHEMES).join(' or ')}. Available: ${have.join(', ') || 'none'}`);
  }

  /** Sends one call with auth, timeout and retries; parses the answer. */
  async send(spec: CallSpec): Promise<any> {
    const res = await this.open(spec);
    try {
      if (spec.raw) return res;
      if (spec.binary) return await res.arrayBuffer();
      const text = await res.text();
      const data = text ? JSON.parse(text) : {};
      const out = this.config.camelCase === false ? data : camelKeys(data);
      const rl = parseRateLimit(res.headers);
      if (rl) {
        this.lastRateLimit = rl;
        if (out && typeof out === 'object') setRateLimit(out, rl);
      }
      return out;
    } catch (e) {
      throw readError(spec, e, res);
    }
  }

  /**
   * Sends with retries and returns a 2xx response whose body is unread; throws ApiError otherwise. The first attempt
   * is made here, so a success costs no retry bookkeeping; a failure continues in retry.ts (retries, backoff,
   * rate-limit waits, a token refresh after a 401).
   */
  async open(spec: CallSpec, extra?: { timeout?: number; headersTimeout?: number }): Promise<TransportResponse> {
    const mode = this.selectAuth(spec.method, spec.auth);
    if (spec.auth && !mode) throw this.authError(spec.auth, spec.name);
    const timeout = extra?.timeout ?? spec.opts?.timeout ?? this.timeout;
    const attempt = this.attempt(spec, mode, timeout, extra?.headersTimeout);
    let res: TransportResponse;
    try {
      res = await attempt();
    } catch (e) {
      return recover(this, spec, mode, attempt, e, undefined);
    }
    if (res.status >= 200 && res.status < 300) return res;
    return recover(this, spec, mode, attempt, undefined, res);
  }

  /** One exchange of `spec` (headers and auth computed afresh, so a refreshed token or a new nonce is used). */
  attempt(spec: CallSpec, mode: number, timeout: number, headersTimeout?: number): () => Promise<TransportResponse> {
    const url = this.baseUrl + spec.path;
    const opts = spec.opts ?? {};
    return async () => {
      const headers: Record<string, string> = { ...this.headers };
      if (spec.contentType) headers['content-type'] = spec.contentType;
      const authz = mode === BEARER ? `Bearer ${this.bearerToken}` : mode && (await userAuthorization(this, spec, url, mode));
      if (authz) headers.authorization = authz;
      if (opts.headers) Object.assign(headers, lower(opts.headers));
      return this.transport({ method: spec.method, url, headers, body: spec.body, signal: opts.signal, timeout, headersTimeout, stream: spec.stream });
    };
  }

  /** Shared by retry.ts (which may refresh the OAuth 2.0 user token after a 401). */
  refreshUserToken(): Promise<unknown> {
    return (this.refreshing ??= this.oauth2!.refreshToken().finally(() => (this.refreshing = undefined)));
  }
}


function lower(h?: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  if (h) for (const k in h) out[k.toLowerCase()] = h[k];
  return out;
}
