/** OAuth 2.0: Authorization Code with PKCE (user context), refresh, revoke; app-only bearer tokens. */
import { timeoutSignal } from './errors.js';
import { parseBody, responseError } from './error-response.js';
import { generateCodeChallenge, generateCodeVerifier, loadCrypto } from './crypto.js';

export interface OAuth2Config {
  clientId: string;
  /** Confidential clients (Web App, Automated App): sent with HTTP Basic auth. Public clients: omit. */
  clientSecret?: string;
  redirectUri: string;
  /** Default `['tweet.read', 'users.read']`. */
  scope?: string[];
  /** Host of the token and revoke endpoints (default `https://api.x.com`). */
  baseUrl?: string;
  /** Authorize page (default `https://x.com/i/oauth2/authorize`, or `<baseUrl>/i/oauth2/authorize` when `baseUrl` is set). */
  authorizeUrl?: string;
  /** Called with every new token (exchange or refresh), e.g. to persist a rotated refresh token. */
  onToken?: (token: OAuth2Token) => void;
  fetch?: typeof fetch;
  /** Milliseconds per token request, body included (default 30000, 0 = none). */
  timeout?: number;
  /** Milliseconds clock, for tests. */
  now?: () => number;
}

export interface OAuth2Token {
  access_token: string;
  token_type: string;
  expires_in?: number;
  refresh_token?: string;
  scope?: string;
  /** Epoch milliseconds when the access token expires (set by this class). */
  expires_at?: number;
}

const enc = (s: string) => encodeURIComponent(s);

export class OAuth2 {
  private token?: OAuth2Token;
  private codeVerifier?: string;
  private codeChallenge?: string;
  readonly baseUrl: string;
  readonly authorizeUrl: string;
  private readonly now: () => number;

  constructor(readonly config: OAuth2Config, token?: OAuth2Token) {
    this.baseUrl = (config.baseUrl ?? 'https://api.x.com').replace(/\/+$/, '');
    this.authorizeUrl = config.authorizeUrl ?? (config.baseUrl ? `${this.baseUrl}/i/oauth2/authorize` : 'https://x.com/i/oauth2/authorize');
    this.now = config.now ?? Date.now;
    if (token) this.setToken(token);
  }

  /** Uses this verifier (and its S256 challenge, unless given) for the next authorization URL and exchange. */
  async setPkceParameters(codeVerifier: string, codeChallenge?: string): Promise<void> {
    if (codeVerifier.length < 43 || codeVerifier.length > 128 || /[^A-Za-z0-9\-._~]/.test(codeVerifier)) {
      throw new RangeError('a code verifier has 43 to 128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1)');
    }
    this.codeVerifier = codeVerifier;
    this.codeChallenge = codeChallenge ?? (await generateCodeChallenge(codeVerifier));
  }

  getCodeVerifier(): string | undefined {
    return this.codeVerifier;
  }
  getCodeChallenge(): string | undefined {
    return this.codeChallenge;
  }

  /** The authorize page URL; creates a PKCE verifier when none was set. */
  async getAuthorizationUrl(state?: string): Promise<string> {
    await loadCrypto();
    if (!this.codeVerifier) await this.setPkceParameters(generateCodeVerifier());
    const q = [
      `response_type=code`,
      `client_id=${enc(this.config.clientId)}`,
      `redirect_uri=${enc(this.config.redirectUri)}`,
      `scope=${enc((this.config.scope ?? ['tweet.read', 'users.read']).join(' '))}`,
      `state=${enc(state ?? generateCodeVerifier(43))}`,
      `code_challenge=${enc(this.codeChallenge!)}`,
      `code_challenge_method=S256`,
    ];
    return `${this.authorizeUrl}?${q.join('&')}`;
  }

  /** Exchanges the callback's `code` (with the verifier used for the URL unless one is given). */
  async exchangeCode(code: string, codeVerifier = this.codeVerifier): Promise<OAuth2Token> {
    const params: Record<string, string> = { grant_type: 'authorization_code', code, redirect_uri: this.config.redirectUri };
    if (codeVerifier) params.code_verifier = codeVerifier;
    return this.store(await this.post('/2/oauth2/token', params));
  }

  /** A new access token from the refresh token (X rotates the refresh token too). */
  async refreshToken(refreshToken = this.token?.refresh_token): Promise<OAuth2Token> {
    if (!refreshToken) throw new Error('no refresh token (request the offline.access scope)');
    return this.store(await this.post('/2/oauth2/token', { grant_type: 'refresh_token', refresh_token: refreshToken }));
  }

  /** Revokes a token (default: the current access token) and forgets it if it is the current one. */
  async revokeToken(token = this.token?.access_token, tokenTypeHint?: 'access_token' | 'refresh_token'): Promise<void> {
    if (!token) throw new Error('no token to revoke');
    const params: Record<string, string> = { token };
    if (tokenTypeHint) params.token_type_hint = tokenTypeHint;
    await this.post('/2/oauth2/revoke', params);
    if (this.token && (this.token.access_token === token || this.token.refresh_token === token)) this.token = undefined;
  }

  getToken(): OAuth2Token | undefined {
    return this.token;
  }

  setToken(token: OAuth2Token, expiresAt?: number): void {
    const at = expiresAt ?? token.expires_at ?? (token.expires_in !== undefined ? this.now() + token.expires_in * 1000 : undefined);
    this.token = { ...token, expires_at: at };
  }

  /** True with no token, or when it expires within `bufferSeconds`; false when its expiry is unknown. */
  isTokenExpired(bufferSeconds = 60): boolean {
    if (!this.token) return true;
    if (this.token.expires_at === undefined) return false;
    return this.now() + bufferSeconds * 1000 >= this.token.expires_at;
  }

  private store(token: OAuth2Token): OAuth2Token {
    this.setToken(token);
    this.config.onToken?.(this.token!);
    return this.token!;
  }

  private async post(path: string, params: Record<string, string>): Promise<any> {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', accept: 'application/json' };
    if (this.config.clientSecret !== undefined) {
      headers.authorization = `Basic ${btoa(`${enc(this.config.clientId)}:${enc(this.config.clientSecret)}`)}`;
    } else params = { ...params, client_id: this.config.clientId };
    return formPost(this.config, this.baseUrl + path, headers, params);
  }
}

async function formPost(o: { fetch?: typeof fetch; timeout?: number }, url: string, headers: Record<string, string>, params: Record<string, string>): Promise<any> {
  const body = new URLSearchParams(params).toString();
  const res = await (o.fetch ?? globalThis.fetch)(url, { method: 'POST', headers, body, signal: timeoutSignal(o.timeout) });
  if (!res.ok) throw await responseError(res);
  return parseBody(await res.text()) ?? {};
}

/** App-only bearer token (POST /oauth2/token, client_credentials) from the app's consumer key and secret. */
export async function getBearerToken(o: { apiKey: string; apiSecret: string; baseUrl?: string; fetch?: typeof fetch; timeout?: number }): Promise<string> {
  const base = (o.baseUrl ?? 'https://api.x.com').replace(/\/+$/, '');
  const data = await formPost(o, `${base}/oauth2/token`, {
    'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
    authorization: `Basic ${btoa(`${enc(o.apiKey)}:${enc(o.apiSecret)}`)}`,
  }, { grant_type: 'client_credentials' });
  return data.access_token;
}
