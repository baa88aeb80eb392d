/**
 * OAuth 2.0 Authorization Code with PKCE (FACTS §7.3): clients, PKCE, code issue and redemption, refresh rotation
 * and revocation. HTTP lives in http/oauth2-routes.ts; this module knows nothing of requests beyond plain params.
 *
 * Access tokens are ordinary rows of `tokens` (kind 'user', scopes, 2-hour expiry) so every /2 endpoint and its
 * scope enforcement accept them unchanged.
 */
import { basicPair } from './basic.js';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from '../context.js';
import type { ChallengeMethod, ClientType, OAuth2ClientRow } from '../data/oauth2.js';
import { ALL_SCOPES, mintUserToken } from './issue.js';
import { hashSecret, randomAlnum, randomToken } from './tokens.js';

export const CODE_TTL_MS = 30_000;
export const ACCESS_TOKEN_TTL_S = 7_200;
export const OFFLINE_SCOPE = 'offline.access';

/** Redirect URIs the default app (and `roost apps create` without `--callback`) registers. */
export const DEFAULT_REDIRECT_URIS: readonly string[] = ['http://127.0.0.1/callback', 'http://localhost/callback'];

// ---------------------------------------------------------------------------------------------------------------
// PKCE (RFC 7636)

const UNRESERVED = /^[A-Za-z0-9\-._~]+$/;

export const base64url = (buf: Buffer): string => buf.toString('base64url');

/** The S256 transform: BASE64URL(SHA256(ASCII(verifier))). */
export const s256 = (verifier: string): string => base64url(createHash('sha256').update(verifier, 'ascii').digest());

export interface VerifierRules {
  minLength: number;
  maxLength: number;
}
/** RFC 7636 §4.1: 43–128 characters of [A-Z a-z 0-9 - . _ ~]. */
export const RFC_VERIFIER_RULES: VerifierRules = { minLength: 43, maxLength: 128 };
/**
 * What Roost's endpoints accept. X does not enforce RFC 7636's lengths: its own docs and many apps use
 * `code_challenge=challenge&code_challenge_method=plain`, and the official xdk's `generateCodeVerifier()` makes
 * 171-character verifiers. The character set is still enforced.
 */
export const TOLERANT_VERIFIER_RULES: VerifierRules = { minLength: 1, maxLength: 512 };

/** Why a code verifier (or plain challenge) breaks the rules, or null when it is fine. */
export function verifierProblem(v: string, rules: VerifierRules = RFC_VERIFIER_RULES): string | null {
  if (v.length < rules.minLength) return `must be at least ${rules.minLength} characters`;
  if (v.length > rules.maxLength) return `must be at most ${rules.maxLength} characters`;
  if (!UNRESERVED.test(v)) return 'may contain only A-Z, a-z, 0-9, "-", ".", "_" and "~"';
  return null;
}

/** `S256` in any case (twitter-api-v2 and twitter-api-sdk send `s256`), `plain`; absent means plain (RFC 7636 §4.3). */
export function challengeMethod(m: string | undefined): ChallengeMethod | null {
  if (m === undefined || m === '') return 'plain';
  const l = m.toLowerCase();
  if (l === 's256') return 'S256';
  if (l === 'plain') return 'plain';
  return null;
}

/** Why a code challenge is unacceptable for its method, or null. */
export function challengeProblem(challenge: string, method: ChallengeMethod, rules: VerifierRules = TOLERANT_VERIFIER_RULES): string | null {
  if (method === 'S256') return /^[A-Za-z0-9\-_]{43}$/.test(challenge) ? null : 'must be 43 base64url characters for S256';
  return verifierProblem(challenge, rules);
}

export function pkceMatches(verifier: string, challenge: string, method: ChallengeMethod): boolean {
  const expected = method === 'S256' ? s256(verifier) : verifier;
  const a = Buffer.from(expected);
  const b = Buffer.from(challenge);
  return a.length === b.length && timingSafeEqual(a, b);
}

// ---------------------------------------------------------------------------------------------------------------
// Clients

/**
 * Client ids look like X's: base64url (no padding) of `<20 chars>:1:ci` — 34 characters. Codes and tokens follow
 * X's visible pattern too (`<random>:<ms>:1:1:ac|at:1`, refresh tokens `…:1:0:rt:1`); only their digests are kept.
 */
export const newClientId = (): string => Buffer.from(`${randomAlnum(20)}:1:ci`).toString('base64url');
const xToken = (kind: 'ac' | 'at' | 'rt', now: number): string =>
  Buffer.from(`${randomAlnum(45)}:${now}:1:${kind === 'rt' ? 0 : 1}:${kind}:1`).toString('base64url');

export interface CreatedClient {
  clientId: string;
  clientType: ClientType;
  /** Confidential clients only; shown once. */
  clientSecret?: string;
  redirectUris: string[];
}

/** Why a redirect URI cannot be registered, or null. */
export function redirectUriProblem(uri: string): string | null {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return 'is not an absolute URL';
  }
  if (u.hash) return 'must not contain a fragment';
  return null;
}

/** Creates (or replaces) the OAuth 2.0 client of an app; a confidential client's secret is returned once. */
export async function createOAuth2Client(
  ctx: Context,
  opts: { appId: string; type?: ClientType; redirectUris?: readonly string[]; clientId?: string; clientSecret?: string },
): Promise<CreatedClient> {
  const clientType = opts.type ?? 'confidential';
  const redirectUris = [...new Set(opts.redirectUris ?? DEFAULT_REDIRECT_URIS)];
  for (const u of redirectUris) {
    const p = redirectUriProblem(u);
    if (p) throw new Error(`callback URL ${JSON.stringify(u)} ${p}`);
  }
  const clientId = opts.clientId ?? newClientId();
  const clientSecret = clientType === 'confidential' ? (opts.clientSecret ?? randomToken(37)) : undefined;
  await ctx.repos.oauth2.putClient({
    appId: opts.appId,
    clientId,
    clientType,
    clientSecretHash: clientSecret === undefined ? null : hashSecret(clientSecret),
    redirectUris,
    createdAt: ctx.clock.now(),
  });
  return { clientId, clientType, clientSecret, redirectUris };
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Exact match, as X requires — except that a registered loopback URI without a port matches the same URI on any
 * port (RFC 8252 §7.3), so local tools that pick a free port need no registration per port.
 */
export function redirectUriRegistered(client: OAuth2ClientRow, uri: string): boolean {
  if (client.redirectUris.includes(uri)) return true;
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:' || !LOOPBACK_HOSTS.has(u.hostname) || !u.port) return false;
  const portless = new URL(u.href);
  portless.port = '';
  return client.redirectUris.some((r) => {
    try {
      const reg = new URL(r);
      return reg.protocol === 'http:' && LOOPBACK_HOSTS.has(reg.hostname) && reg.port === '' && reg.href === portless.href;
    } catch {
      return false;
    }
  });
}

/**
 * OAuth 1.0a callbacks (`oauth_callback` of request_token): one of the app's registered callback URLs — the
 * same list OAuth 2.0 redirects use — matched as redirect URIs are; the client may add its own query parameters
 * (state of its own) to a registered URL, so the query string is not compared. Anything else, `javascript:` and
 * `data:` included, is refused.
 */
export function callbackRegistered(client: OAuth2ClientRow, callback: string): boolean {
  let u: URL;
  try {
    u = new URL(callback);
  } catch {
    return false;
  }
  if (redirectUriRegistered(client, callback)) return true;
  if (!u.search && !u.hash) return false;
  u.search = '';
  u.hash = '';
  return redirectUriRegistered(client, u.href);
}

// ---------------------------------------------------------------------------------------------------------------
// Errors (X's token-endpoint bodies: RFC 6749 `error` + `error_description`, plus an `errors` array)

export class OAuth2Error extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
  body() {
    return { error: this.error, error_description: this.description, errors: [{ code: this.error, message: this.description }] };
  }
}

const missing = (param: string) => new OAuth2Error(400, 'invalid_request', `Missing required parameter [${param}].`);
export const MISSING_AUTH_HEADER = 'Missing valid authorization header';
const badClient = () => new OAuth2Error(401, 'unauthorized_client', MISSING_AUTH_HEADER);
const invalidCode = () => new OAuth2Error(400, 'invalid_request', 'Value passed for the authorization code was invalid.');
const invalidToken = () => new OAuth2Error(400, 'invalid_request', 'Value passed for the token was invalid.');

export type Params = Record<string, string | undefined>;

function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  const pair = basicPair(header);
  if (!pair) return null;
  // RFC 6749 §2.3.1 form-encodes both parts; most clients do not. Either way X's ids and secrets survive.
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return { id: dec(pair.user), secret: dec(pair.password) };
}

/**
 * Client authentication on the token and revoke endpoints: confidential clients by HTTP Basic (required, as on X),
 * public clients by `client_id` in the parameters (a Basic header with an empty secret is tolerated).
 */
export async function authenticateClient(ctx: Context, authorization: string | undefined, params: Params): Promise<OAuth2ClientRow> {
  const basic = basicCredentials(authorization);
  if (basic) {
    const client = await ctx.repos.oauth2.clientById(basic.id);
    if (!client) throw badClient();
    if (params.client_id !== undefined && params.client_id !== basic.id) throw badClient();
    if (client.clientType === 'confidential') {
      if (client.clientSecretHash === null || hashSecret(basic.secret) !== client.clientSecretHash) throw badClient();
    } else if (basic.secret !== '') throw badClient();
    return client;
  }
  const clientId = params.client_id;
  if (!clientId) {
    // No credentials at all: X's answer names the header a confidential client should have sent.
    throw authorization ? badClient() : missing('client_id');
  }
  const client = await ctx.repos.oauth2.clientById(clientId);
  if (!client) throw new OAuth2Error(400, 'invalid_request', 'Value passed for the client_id was invalid.');
  if (client.clientType === 'confidential') throw badClient();
  return client;
}

// ---------------------------------------------------------------------------------------------------------------
// Authorization request

export type AuthorizeCheck =
  /** Nothing may be sent to the redirect URI (unknown client, unregistered redirect): show an error page. */
  | { kind: 'page-error'; message: string }
  /** The redirect URI is trusted; tell the client there. */
  | { kind: 'redirect-error'; redirectUri: string; state: string | undefined; error: string; description: string }
  | {
      kind: 'ok';
      client: OAuth2ClientRow;
      appName: string;
      redirectUri: string;
      scopes: string[];
      state: string | undefined;
      codeChallenge: string;
      challengeMethod: ChallengeMethod;
    };

export function parseScopes(raw: string | undefined): string[] {
  return [...new Set((raw ?? '').split(/[\s+]+/).filter(Boolean))];
}

export async function checkAuthorizeRequest(ctx: Context, p: Params): Promise<AuthorizeCheck> {
  if (!p.client_id) return { kind: 'page-error', message: 'The request has no client_id.' };
  const client = await ctx.repos.oauth2.clientById(p.client_id);
  if (!client) return { kind: 'page-error', message: `No app has the OAuth 2.0 client id "${p.client_id}".` };
  if (!p.redirect_uri) return { kind: 'page-error', message: 'The request has no redirect_uri.' };
  if (!redirectUriRegistered(client, p.redirect_uri)) {
    return { kind: 'page-error', message: `The redirect_uri "${p.redirect_uri}" is not a callback URL registered for this app.` };
  }
  const redirectUri = p.redirect_uri;
  const state = p.state;
  const fail = (error: string, description: string): AuthorizeCheck => ({ kind: 'redirect-error', redirectUri, state, error, description });
  if (p.response_type !== 'code') {
    return p.response_type ? fail('unsupported_response_type', 'Only response_type=code is supported.') : fail('invalid_request', 'Missing required parameter [response_type].');
  }
  if (state !== undefined && state.length > 500) return fail('invalid_request', 'Value passed for state is longer than 500 characters.');
  const scopes = parseScopes(p.scope);
  if (scopes.length === 0) return fail('invalid_request', 'Missing required parameter [scope].');
  const unknown = scopes.filter((s) => !ALL_SCOPES.includes(s));
  if (unknown.length) return fail('invalid_scope', `Unknown scopes: ${unknown.join(' ')}`);
  if (!p.code_challenge) return fail('invalid_request', 'Missing required parameter [code_challenge].');
  const method = challengeMethod(p.code_challenge_method);
  if (!method) return fail('invalid_request', 'Value passed for code_challenge_method must be S256 or plain.');
  const cp = challengeProblem(p.code_challenge, method);
  if (cp) return fail('invalid_request', `Value passed for code_challenge ${cp}.`);
  const app = await ctx.repos.apps.byId(client.appId);
  if (!app) return { kind: 'page-error', message: 'The app of this client no longer exists.' };
  return { kind: 'ok', client, appName: app.name, redirectUri, scopes, state, codeChallenge: p.code_challenge, challengeMethod: method };
}

/** Issues a single-use authorization code valid for 30 s (by `ctx.clock`). */
export async function issueCode(
  ctx: Context,
  o: { appId: string; userId: string; scopes: readonly string[]; redirectUri: string; codeChallenge: string; challengeMethod: ChallengeMethod },
): Promise<string> {
  const now = ctx.clock.now();
  const code = xToken('ac', now);
  // Housekeeping on the write path keeps the table to codes of the last half minute.
  await ctx.repos.oauth2.deleteExpiredCodes(now - CODE_TTL_MS);
  await ctx.repos.oauth2.insertCode({
    codeHash: hashSecret(code),
    appId: o.appId,
    userId: o.userId,
    scopes: [...o.scopes],
    redirectUri: o.redirectUri,
    codeChallenge: o.codeChallenge,
    challengeMethod: o.challengeMethod,
    expiresAt: now + CODE_TTL_MS,
    used: false,
    createdAt: now,
  });
  return code;
}

// ---------------------------------------------------------------------------------------------------------------
// Token endpoint

export interface TokenResponse {
  token_type: 'bearer';
  expires_in: number;
  access_token: string;
  scope: string;
  refresh_token?: string;
}

async function grantTokens(ctx: Context, appId: string, userId: string, scopes: readonly string[]): Promise<TokenResponse> {
  const now = ctx.clock.now();
  const access = await mintUserToken(ctx, { appId, userId, scopes, token: xToken('at', now), expiresAt: now + ACCESS_TOKEN_TTL_S * 1000 });
  const out: TokenResponse = { token_type: 'bearer', expires_in: ACCESS_TOKEN_TTL_S, access_token: access, scope: scopes.join(' ') };
  if (scopes.includes(OFFLINE_SCOPE)) {
    const refresh = xToken('rt', now);
    await ctx.repos.oauth2.insertRefreshToken({
      tokenHash: hashSecret(refresh),
      appId,
      userId,
      scopes: [...scopes],
      expiresAt: null,
      revoked: false,
      createdAt: now,
    });
    out.refresh_token = refresh;
  }
  return out;
}

export async function redeemCode(ctx: Context, client: OAuth2ClientRow, p: Params): Promise<TokenResponse> {
  if (!p.code) throw missing('code');
  if (!p.redirect_uri) throw missing('redirect_uri');
  if (!p.code_verifier) throw missing('code_verifier');
  const hash = hashSecret(p.code);
  const row = await ctx.repos.oauth2.codeByHash(hash);
  if (!row || row.used || row.appId !== client.appId || ctx.clock.now() > row.expiresAt) throw invalidCode();
  if (row.redirectUri !== p.redirect_uri) {
    throw new OAuth2Error(400, 'invalid_request', 'Value passed for the redirect uri did not match the uri of the authorization code.');
  }
  if (verifierProblem(p.code_verifier, TOLERANT_VERIFIER_RULES) || !pkceMatches(p.code_verifier, row.codeChallenge, row.challengeMethod)) {
    throw new OAuth2Error(400, 'invalid_request', 'Value passed for the code verifier did not match the code challenge.');
  }
  if (!(await ctx.repos.oauth2.consumeCode(hash))) throw invalidCode();
  return grantTokens(ctx, row.appId, row.userId, row.scopes);
}

/** Refresh with rotation: the presented refresh token stops working, a new one is returned. */
export async function refreshTokens(ctx: Context, client: OAuth2ClientRow, p: Params): Promise<TokenResponse> {
  if (!p.refresh_token) throw missing('refresh_token');
  const hash = hashSecret(p.refresh_token);
  const row = await ctx.repos.oauth2.refreshTokenByHash(hash);
  const now = ctx.clock.now();
  if (!row || row.revoked || row.appId !== client.appId || (row.expiresAt !== null && now >= row.expiresAt)) throw invalidToken();
  if (!(await ctx.repos.oauth2.revokeRefreshToken(hash))) throw invalidToken();
  return grantTokens(ctx, row.appId, row.userId, row.scopes);
}

export async function tokenGrant(ctx: Context, client: OAuth2ClientRow, p: Params): Promise<TokenResponse> {
  if (!p.grant_type) throw missing('grant_type');
  if (p.grant_type === 'authorization_code') return redeemCode(ctx, client, p);
  if (p.grant_type === 'refresh_token') return refreshTokens(ctx, client, p);
  throw new OAuth2Error(400, 'invalid_request', 'Value passed for the grant type was invalid.');
}

/**
 * Revokes an access or refresh token of the client's app (RFC 7009: an unknown token is not an error). Access tokens
 * are dropped from this node's token cache at once; other nodes stop accepting them within the cache lifetime.
 */
export async function revokeToken(ctx: Context, client: OAuth2ClientRow, p: Params): Promise<{ revoked: true }> {
  const token = p.token;
  if (!token) throw missing('token');
  const hash = hashSecret(token);
  const refresh = await ctx.repos.oauth2.refreshTokenByHash(hash);
  if (refresh) {
    if (refresh.appId !== client.appId) throw invalidToken();
    await ctx.repos.oauth2.revokeRefreshToken(hash);
    return { revoked: true };
  }
  const access = await ctx.repos.apps.tokenByHash(hash);
  if (access) {
    if (access.kind !== 'user' || access.appId !== client.appId) throw invalidToken();
    await ctx.repos.oauth2.deleteUserToken(hash, client.appId);
  }
  ctx.auth.forget(token);
  return { revoked: true };
}
