/** OAuth 1.0a (RFC 5849, HMAC-SHA1): signing any request, and the three-legged flow — all against `baseUrl`. */
import { timeoutSignal } from './errors.js';
import { responseError } from './error-response.js';
import { generateNonce, hmacSha1, loadCrypto } from './crypto.js';

export interface OAuth1Config {
  apiKey: string;
  apiSecret: string;
  /** `oauth_callback` of the flow (a registered URL, or `oob` for the PIN flow). */
  callback?: string;
  accessToken?: string;
  accessTokenSecret?: string;
  /** Host of the token endpoints and the authorize page (default `https://api.x.com`). */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Milliseconds per token request, body included (default 30000, 0 = none). */
  timeout?: number;
  /** Seconds clock, for tests. */
  timestamp?: () => number;
}

export interface OAuth1RequestToken {
  oauthToken: string;
  oauthTokenSecret: string;
}

export interface OAuth1AccessToken {
  accessToken: string;
  accessTokenSecret: string;
  userId?: string;
  screenName?: string;
}

/** RFC 3986 percent-encoding (unreserved characters kept, everything else %XX upper-case). */
export function percentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export interface SignInput {
  method: string;
  url: string;
  consumerKey: string;
  consumerSecret: string;
  token?: string;
  tokenSecret?: string;
  /** Extra `oauth_*` header parameters (oauth_callback, oauth_verifier). */
  oauth?: Record<string, string>;
  /** application/x-www-form-urlencoded body parameters. */
  form?: string;
  nonce?: string;
  timestamp?: number;
}

/** The signature base string of RFC 5849 §3.4.1. */
export function signatureBaseString(method: string, url: string, params: [string, string][]): string {
  const u = new URL(url);
  const norm = params
    .map(([k, v]) => [percentEncode(k), percentEncode(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return `${method.toUpperCase()}&${percentEncode(`${u.protocol}//${u.host}${u.pathname}`)}&${percentEncode(norm)}`;
}

/** Signs a request; returns the `Authorization` header value and the signature. */
export async function signOAuth1(i: SignInput): Promise<{ header: string; signature: string }> {
  await loadCrypto();
  const oauth: Record<string, string> = {
    oauth_consumer_key: i.consumerKey,
    oauth_nonce: i.nonce ?? generateNonce(32),
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: String(i.timestamp ?? Math.floor(Date.now() / 1000)),
    oauth_version: '1.0',
    ...(i.token ? { oauth_token: i.token } : {}),
    ...(i.oauth ?? {}),
  };
  const u = new URL(i.url);
  const params: [string, string][] = [...u.searchParams];
  if (i.form) params.push(...new URLSearchParams(i.form));
  params.push(...Object.entries(oauth));
  const base = signatureBaseString(i.method, i.url, params);
  const signature = await hmacSha1(`${percentEncode(i.consumerSecret)}&${percentEncode(i.tokenSecret ?? '')}`, base);
  const header =
    'OAuth ' +
    Object.entries({ ...oauth, oauth_signature: signature })
      .map(([k, v]) => `${percentEncode(k)}="${percentEncode(v)}"`)
      .join(', ');
  return { header, signature };
}

export class OAuth1 {
  requestToken?: OAuth1RequestToken;
  accessToken?: OAuth1AccessToken;
  readonly baseUrl: string;

  constructor(readonly config: OAuth1Config) {
    this.baseUrl = (config.baseUrl ?? 'https://api.x.com').replace(/\/+$/, '');
    if (config.accessToken && config.accessTokenSecret) {
      this.accessToken = { accessToken: config.accessToken, accessTokenSecret: config.accessTokenSecret };
    }
  }

  /** Step 1: a request token (POST /oauth/request_token with oauth_callback). */
  async getRequestToken(): Promise<OAuth1RequestToken> {
    const p = await this.post('/oauth/request_token', undefined, { oauth_callback: this.config.callback ?? 'oob' });
    if (p.get('oauth_callback_confirmed') === 'false') throw new Error('the server did not confirm the callback');
    this.requestToken = { oauthToken: p.get('oauth_token') ?? '', oauthTokenSecret: p.get('oauth_token_secret') ?? '' };
    return this.requestToken;
  }

  /** Step 2: where to send the user (`/oauth/authorize`, or `/oauth/authenticate` to skip re-approval). */
  getAuthorizationUrl(loginWithX = false): string {
    if (!this.requestToken) throw new Error('call getRequestToken() first');
    return `${this.baseUrl}/oauth/${loginWithX ? 'authenticate' : 'authorize'}?oauth_token=${percentEncode(this.requestToken.oauthToken)}`;
  }

  /** Steps 1 and 2. */
  async startOAuthFlow(loginWithX = false): Promise<string> {
    await this.getRequestToken();
    return this.getAuthorizationUrl(loginWithX);
  }

  /** Step 3: exchanges the verifier (callback parameter or PIN) for the user's access token. */
  async getAccessToken(verifier: string): Promise<OAuth1AccessToken> {
    const rt = this.requestToken;
    if (!rt) throw new Error('call getRequestToken() first');
    const p = await this.post('/oauth/access_token', rt, { oauth_verifier: verifier });
    this.accessToken = {
      accessToken: p.get('oauth_token') ?? '',
      accessTokenSecret: p.get('oauth_token_secret') ?? '',
      userId: p.get('user_id') ?? undefined,
      screenName: p.get('screen_name') ?? undefined,
    };
    // The request token is spent; API calls are signed with the access token's secret.
    this.requestToken = undefined;
    return this.accessToken;
  }

  /** The `Authorization` header for an API call signed with the access token. */
  async buildRequestHeader(method: string, url: string, body = ''): Promise<string> {
    const form = body && !/^\s*[[{]/.test(body) ? body : undefined;
    const { header } = await signOAuth1({
      method,
      url,
      consumerKey: this.config.apiKey,
      consumerSecret: this.config.apiSecret,
      token: this.accessToken?.accessToken,
      tokenSecret: this.accessToken?.accessTokenSecret,
      form,
      timestamp: this.config.timestamp?.(),
    });
    return header;
  }

  private async post(path: string, token: OAuth1RequestToken | undefined, oauth: Record<string, string>): Promise<URLSearchParams> {
    const url = this.baseUrl + path;
    const { header } = await signOAuth1({
      method: 'POST',
      url,
      consumerKey: this.config.apiKey,
      consumerSecret: this.config.apiSecret,
      token: token?.oauthToken,
      tokenSecret: token?.oauthTokenSecret,
      oauth,
      timestamp: this.config.timestamp?.(),
    });
    const f = this.config.fetch ?? globalThis.fetch;
    const res = await f(url, { method: 'POST', headers: { authorization: header }, signal: timeoutSignal(this.config.timeout) });
    if (!res.ok) throw await responseError(res);
    return new URLSearchParams(await res.text());
  }
}
