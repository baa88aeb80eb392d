/**
 * OAuth 1.0a (RFC 5849) request verification with HMAC-SHA1, as X does it (FACTS §7.2):
 * parameters from the Authorization header, the query string and a form body; a ±300 s timestamp window; nonces
 * single-use per consumer, token and timestamp; the signed URL may be this server's own origin or one of the public
 * origins clients hard-code (they sign `https://api.x.com/...` even when talking to Roost, REAL-CLIENTS.md).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Repos } from '../data/index.js';
import type { AppPermission, OAuth1App, OAuth1TokenRow } from '../data/oauth1.js';
import type { Clock } from '../clock.js';
import type { AuthRequest, OAuth1Verifier, Principal } from './authenticate.js';
import { SecretBox } from './secret-box.js';
import { hashSecret, randomAlnum } from './tokens.js';
import type { Context } from '../context.js';

export type Param = [key: string, value: string];

export const TIMESTAMP_WINDOW_S = 300;

/** RFC 3986 percent-encoding over UTF-8 (RFC 5849 §3.6): only A-Z a-z 0-9 - . _ ~ stay as they are. */
export function pct(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/**
 * The parameters of an `Authorization: OAuth …` header (with or without the scheme word). Clients join them with
 * ", " (xdk, tweepy) or "," (twitter-api-v2). Names and values are percent-decoded; `realm` is dropped. Null when
 * the header cannot be parsed or names a parameter twice.
 */
export function parseOAuthHeader(header: string): Map<string, string> | null {
  const s = header.replace(/^\s*OAuth\s+/i, '');
  const re = /\s*([^\s=,"]+)\s*=\s*(?:"([^"]*)"|([^\s,"]*))\s*(?:,|$)/y;
  const out = new Map<string, string>();
  let i = 0;
  while (i < s.length) {
    if (/^\s*$/.test(s.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m || re.lastIndex === i) return null;
    i = re.lastIndex;
    let k: string;
    let v: string;
    try {
      k = decodeURIComponent(m[1]);
      v = decodeURIComponent(m[2] ?? m[3] ?? '');
    } catch {
      return null;
    }
    if (k === 'realm') continue;
    if (out.has(k)) return null;
    out.set(k, v);
  }
  return out;
}

/** `application/x-www-form-urlencoded` decoding of a query string: `+` is a space. Null on malformed escapes. */
export function parseQueryParams(raw: string): Param[] | null {
  const out: Param[] = [];
  for (const part of raw.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    try {
      out.push([decodeURIComponent(k.replace(/\+/g, ' ')), decodeURIComponent(v.replace(/\+/g, ' '))]);
    } catch {
      return null;
    }
  }
  return out;
}

/** RFC 5849 §3.4.1.2: lower-case scheme and host, default port dropped, no query or fragment. */
export function baseStringUri(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  const scheme = u.protocol.toLowerCase();
  const port = u.port && !((scheme === 'http:' && u.port === '80') || (scheme === 'https:' && u.port === '443')) ? `:${u.port}` : '';
  return `${scheme}//${u.hostname.toLowerCase()}${port}${u.pathname}`;
}

/** RFC 5849 §3.4.1.3.2: encode each name and value, sort by name then value (byte order), join. */
export function normalizeParams(params: readonly Param[]): string {
  return params
    .map(([k, v]) => [pct(k), pct(v)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** RFC 5849 §3.4.1: METHOD & pct(base URI) & pct(normalized parameters). `params` excludes oauth_signature. */
export function signatureBaseString(method: string, baseUri: string, params: readonly Param[]): string {
  return `${method.toUpperCase()}&${pct(baseUri)}&${pct(normalizeParams(params))}`;
}

/** RFC 5849 §3.4.2: base64(HMAC-SHA1(pct(consumer secret) & pct(token secret), base string)). */
export function hmacSha1(base: string, consumerSecret: string, tokenSecret = ''): string {
  return createHmac('sha1', `${pct(consumerSecret)}&${pct(tokenSecret)}`).update(base).digest('base64');
}

/** Which check failed. `token` (unknown, revoked, expired or wrong-kind token) maps to X's code 89, the rest to 32. */
export type OAuth1Failure = 'malformed' | 'timestamp' | 'nonce' | 'consumer' | 'token' | 'signature';

export class OAuth1Error extends Error {
  constructor(readonly reason: OAuth1Failure) {
    super(`OAuth 1.0a: ${reason}`);
  }
}

export interface CollectedParams {
  /** Every parameter that enters the base string (oauth_signature excluded). */
  params: Param[];
  /** oauth_* parameters by name, wherever they came from (header, query or form). */
  oauth: Map<string, string>;
  signature: string;
}

/**
 * Gathers the signed parameters. An oauth_* parameter counts once even when a client sends it in two places (xdk
 * puts oauth_token in both the header and the query); the same name with two different values is refused.
 */
export function collectParams(header: Map<string, string>, req: Pick<AuthRequest, 'url' | 'form'>): CollectedParams | null {
  const q = req.url.indexOf('?');
  const query = q < 0 ? [] : parseQueryParams(req.url.slice(q + 1));
  if (!query) return null;
  const form: Param[] = [];
  for (const [k, v] of Object.entries(req.form ?? {})) for (const one of Array.isArray(v) ? v : [v]) form.push([k, String(one)]);
  const oauth = new Map(header);
  const params: Param[] = [];
  for (const [k, v] of header) if (k !== 'oauth_signature') params.push([k, v]);
  for (const [k, v] of [...query, ...form]) {
    if (k.startsWith('oauth_')) {
      const seen = oauth.get(k);
      if (seen !== undefined) {
        if (seen !== v) return null;
        continue;
      }
      oauth.set(k, v);
      if (k === 'oauth_signature') continue;
    }
    params.push([k, v]);
  }
  const signature = oauth.get('oauth_signature');
  if (!signature) return null;
  return { params, oauth, signature };
}

/**
 * Where spent nonces are remembered until their timestamp leaves the window. Backends: `NonceCache` (memory of
 * one node) and, with scale-out, Redis (redis/nonces.ts: one store for every node, so a replay sent to another
 * node is refused too). One contract suite covers both (tests/scale-stores.contract.test.ts).
 */
export interface NonceStore {
  /** True when the nonce was already used; otherwise remembers it until `expiresAt`. */
  replayed(key: string, expiresAt: number, now: number): boolean | Promise<boolean>;
}

/** Single-use nonces, remembered in memory until their timestamp leaves the window (bounded; see docs). */
export class NonceCache implements NonceStore {
  private readonly seen = new Map<string, number>();

  constructor(private readonly max = 200_000) {}

  /** True when the nonce was already used; otherwise remembers it until `expiresAt`. */
  replayed(key: string, expiresAt: number, now: number): boolean {
    const until = this.seen.get(key);
    if (until !== undefined && until > now) return true;
    // Entries arrive roughly in expiry order: drop expired ones from the front.
    for (const [k, v] of this.seen) {
      if (v > now) break;
      this.seen.delete(k);
    }
    if (this.seen.size >= this.max) {
      for (const [k, v] of this.seen) if (v <= now) this.seen.delete(k);
      // Still full of live nonces: forget the oldest rather than grow without bound.
      while (this.seen.size >= this.max) this.seen.delete(this.seen.keys().next().value!);
    }
    this.seen.set(key, expiresAt);
    return false;
  }
}

const RANK: Record<AppPermission, number> = { read: 1, 'read-write': 2, 'read-write-dm': 3 };
const asPermission = (p: string): AppPermission => (p in RANK ? (p as AppPermission) : 'read');
export const lowerPermission = (a: string, b: string): AppPermission => (RANK[asPermission(a)] <= RANK[asPermission(b)] ? asPermission(a) : asPermission(b));
export const permits = (have: AppPermission, need: 'read' | 'write' | 'dm'): boolean => RANK[have] >= { read: 1, write: 2, dm: 3 }[need];

export const PUBLIC_ORIGINS = ['https://api.x.com', 'https://api.twitter.com'];
export const UPLOAD_ORIGINS = ['https://upload.x.com', 'https://upload.twitter.com'];

export interface OAuth1Deps {
  repos: Repos;
  clock: Clock;
  /** Seals and opens secrets under the secret key (auth/keyring.ts). */
  box: SecretBox;
  config: { publicUrl: string | null };
  /** Spent nonces; memory of this node unless a shared store is given. */
  nonces?: NonceStore;
}

export interface OAuth1Check {
  app: OAuth1App;
  /** The presented token's row (null in `consumer` mode) and its key in clear. */
  token: OAuth1TokenRow | null;
  tokenKey: string | null;
  oauth: Map<string, string>;
}

/** Context in which a sealed secret is bound to its row (auth/secret-box.ts). */
export const consumerSecretContext = (appId: string) => `oauth1-consumer:${appId}`;
export const tokenSecretContext = (tokenHash: string) => `oauth1-token:${tokenHash}`;

export class OAuth1Service implements OAuth1Verifier {
  readonly box: SecretBox;
  readonly nonces: NonceStore;

  constructor(private readonly deps: OAuth1Deps) {
    this.box = deps.box;
    this.nonces = deps.nonces ?? new NonceCache();
  }

  /** Base URIs the client may have signed: this server's own origin, the configured public URL, X's hosts. */
  candidateBaseUris(req: Pick<AuthRequest, 'url' | 'host'>): string[] {
    const q = req.url.indexOf('?');
    const path = q < 0 ? req.url : req.url.slice(0, q);
    const origins: string[] = [];
    if (req.host) origins.push(`http://${req.host}`, `https://${req.host}`);
    if (this.deps.config.publicUrl) origins.push(this.deps.config.publicUrl.replace(/\/+$/, ''));
    origins.push(...PUBLIC_ORIGINS);
    if (path.includes('/media/')) origins.push(...UPLOAD_ORIGINS);
    const out = new Set<string>();
    for (const o of origins) {
      const b = baseStringUri(o + path);
      if (b) out.add(b);
    }
    return [...out];
  }

  /**
   * Verifies a signed request. `consumer`: signed with the consumer key only (request_token); `request`: with an
   * unexpired request token (access_token); `access`: with an access token (API calls). Throws OAuth1Error.
   */
  async check(header: string, req: AuthRequest, mode: 'consumer' | 'request' | 'access'): Promise<OAuth1Check> {
    const headerParams = parseOAuthHeader(header);
    if (!headerParams) throw new OAuth1Error('malformed');
    const got = collectParams(headerParams, req);
    if (!got) throw new OAuth1Error('malformed');
    const { oauth } = got;
    const consumerKey = oauth.get('oauth_consumer_key');
    const nonce = oauth.get('oauth_nonce');
    const ts = oauth.get('oauth_timestamp');
    const version = oauth.get('oauth_version');
    const tokenKey = oauth.get('oauth_token') || null;
    if (!consumerKey || !nonce || !ts || oauth.get('oauth_signature_method') !== 'HMAC-SHA1') throw new OAuth1Error('malformed');
    if (version !== undefined && version !== '1.0') throw new OAuth1Error('malformed');
    if (mode !== 'consumer' && !tokenKey) throw new OAuth1Error('malformed');
    if (!/^\d{1,12}$/.test(ts)) throw new OAuth1Error('timestamp');
    const now = this.deps.clock.now();
    const tsMs = Number(ts) * 1000;
    // Clients stamp with their own clock: after time travel it is the wall clock, not the server's.
    const fresh = (t: number) => Math.abs(tsMs - t) <= TIMESTAMP_WINDOW_S * 1000;
    const wall = this.deps.clock.wallNow?.() ?? now;
    const stampNow = fresh(now) ? now : fresh(wall) ? wall : null;
    if (stampNow === null) throw new OAuth1Error('timestamp');

    const o1 = this.deps.repos.oauth1;
    const app = await o1.appByConsumerKey(consumerKey);
    const consumerSecret = app && this.box.open(app.consumerSecretEnc, consumerSecretContext(app.id));
    if (!app || consumerSecret === null || consumerSecret === undefined) throw new OAuth1Error('consumer');

    let token: OAuth1TokenRow | null = null;
    let tokenSecret = '';
    if (mode !== 'consumer') {
      const hash = hashSecret(tokenKey!);
      token = (await o1.tokenByHash(hash)) ?? null;
      const want = mode === 'request' ? 'request' : 'access';
      if (!token || token.kind !== want || token.appId !== app.id || (token.expiresAt !== null && token.expiresAt <= now)) {
        throw new OAuth1Error('token');
      }
      const secret = this.box.open(token.secretEnc, tokenSecretContext(hash));
      if (secret === null) throw new OAuth1Error('token');
      tokenSecret = secret;
    }

    const presented = Buffer.from(got.signature);
    let ok = false;
    for (const uri of this.candidateBaseUris(req)) {
      const expected = Buffer.from(hmacSha1(signatureBaseString(req.method, uri, got.params), consumerSecret, tokenSecret));
      if (expected.length === presented.length && timingSafeEqual(expected, presented)) {
        ok = true;
        break;
      }
    }
    if (!ok) throw new OAuth1Error('signature');
    // Only a correctly signed request spends its nonce (others could otherwise burn nonces they cannot sign).
    if (await this.nonces.replayed(`${consumerKey}\n${tokenKey ?? ''}\n${ts}\n${nonce}`, tsMs + TIMESTAMP_WINDOW_S * 1000, stampNow)) {
      throw new OAuth1Error('nonce');
    }
    return { app, token, tokenKey, oauth };
  }

  async verify(header: string, req: AuthRequest): Promise<Principal | null> {
    try {
      const { app, token } = await this.check(header, req, 'access');
      if (!token?.userId) return null;
      return {
        kind: 'user',
        scheme: 'UserToken',
        appId: app.id,
        userId: token.userId,
        scopes: new Set(),
        // A token keeps the level it was granted, and never exceeds the app's current one.
        permission: lowerPermission(token.permission, app.permission),
      };
    } catch (err) {
      if (err instanceof OAuth1Error) return null;
      throw err;
    }
  }
}

/** Services of auth/oauth1.ts that need the whole context (issuing and rotating credentials). */
type IssueContext = Pick<Context, 'repos' | 'clock' | 'box'>;

export interface IssuedOAuth1Token {
  token: string;
  secret: string;
}

/** Mints an OAuth 1.0a access token; the key is stored hashed and the secret sealed, both returned once. */
export async function mintOAuth1AccessToken(
  ctx: IssueContext,
  opts: { appId: string; userId: string; permission: AppPermission; revokeOthers?: boolean; token?: string; secret?: string },
): Promise<IssuedOAuth1Token> {
  // X's access tokens start with the user id.
  const token = opts.token ?? `${opts.userId}-${randomAlnum(40)}`;
  const secret = opts.secret ?? randomAlnum(45);
  const tokenHash = hashSecret(token);
  if (opts.revokeOthers) await ctx.repos.oauth1.deleteUserAccessTokens(opts.userId, opts.appId);
  await ctx.repos.oauth1.insertToken({
    tokenHash,
    kind: 'access',
    appId: opts.appId,
    userId: opts.userId,
    secretEnc: ctx.box.seal(secret, tokenSecretContext(tokenHash)),
    permission: opts.permission,
    callback: null,
    verifierHash: null,
    expiresAt: null,
    createdAt: ctx.clock.now(),
  });
  return { token, secret };
}

/** A new consumer secret for an app; the old one stops working at once (OAuth 1.0a and /oauth2/token alike). */
export async function rotateConsumerSecret(ctx: IssueContext, appId: string): Promise<string> {
  const secret = randomAlnum(50);
  await ctx.repos.oauth1.setConsumerSecret(appId, ctx.box.seal(secret, consumerSecretContext(appId)), hashSecret(secret));
  return secret;
}

/**
 * An app's consumer secret in clear (webhooks sign with it: CRC answers and delivery signatures); null for apps
 * made before sealed secrets existed (`roost apps rotate-secret` gives them one).
 */
export async function consumerSecretOf(ctx: Pick<Context, 'repos' | 'box'>, appId: string): Promise<string | null> {
  const app = await ctx.repos.oauth1.appById(appId);
  return app ? ctx.box.open(app.consumerSecretEnc, consumerSecretContext(app.id)) : null;
}
