import type { OperationDescriptor, SecurityScheme } from '@roost/contract';
import type { Repos } from '../data/index.js';
import type { Clock } from '../clock.js';
import { Forbidden, Unauthorized, UnsupportedAuthentication } from '../errors.js';
import { hashSecret } from './tokens.js';
import type { TokenRow } from '../data/rows.js';
import type { AppPermission } from '../data/oauth1.js';
import { permits } from './oauth1.js';

export type Principal =
  | { kind: 'app'; scheme: 'BearerToken'; appId: string; userId: null; scopes: ReadonlySet<string> }
  | { kind: 'user'; scheme: 'OAuth2UserToken' | 'UserToken'; appId: string; userId: string; scopes: ReadonlySet<string>; permission?: AppPermission };

/** How X names each scheme in its Unsupported Authentication message. */
export const SCHEME_LABEL: Record<SecurityScheme | 'Unknown', string> = {
  UserToken: 'OAuth 1.0a User Context',
  BearerToken: 'OAuth 2.0 Application-Only',
  OAuth2UserToken: 'OAuth 2.0 User Context',
  Unknown: 'Unknown',
};
const LABEL_ORDER: SecurityScheme[] = ['UserToken', 'BearerToken', 'OAuth2UserToken'];

/** What a verifier may need of the request: OAuth 1.0a signs method, URL and parameters. */
export interface AuthRequest {
  authorization: string | undefined;
  method: string;
  /** Path and query string exactly as received. */
  url: string;
  /** Host header (the origin a client signed may differ; see the OAuth 1.0a verifier). */
  host: string | undefined;
  /** Parameters of an application/x-www-form-urlencoded body, when the request has one. */
  form: Record<string, string | string[]> | undefined;
}

/** Verifies OAuth 1.0a user-context requests (see auth/oauth1.ts); absent until that module is wired in. */
export interface OAuth1Verifier {
  verify(header: string, req: AuthRequest): Promise<Principal | null>;
}

export type Credentials = { type: 'bearer'; token: string } | { type: 'oauth1'; header: string } | { type: 'unknown' } | { type: 'none' };

export function parseAuthorization(header: string | undefined): Credentials {
  if (header === undefined || header.trim() === '') return { type: 'none' };
  const m = /^\s*(\S+)\s+(.+?)\s*$/.exec(header);
  if (!m) return { type: 'unknown' };
  const scheme = m[1].toLowerCase();
  if (scheme === 'bearer') return { type: 'bearer', token: m[2] };
  if (scheme === 'oauth') return { type: 'oauth1', header: m[2] };
  return { type: 'unknown' };
}

interface CachedToken {
  row: TokenRow | null;
  until: number;
}

/**
 * Resolves bearer tokens to principals. Token rows are cached in memory for a few seconds (every request carries
 * a token; the lookup would otherwise be a query per request), keyed by the token's SHA-256. Revocation on this node is immediate through
 * `forgetApp`/`forget`; other nodes notice within `TOKEN_CACHE_MS`.
 */
export const TOKEN_CACHE_MS = 5_000;
/** Entries of the token cache: a digest and one token row each (a few hundred bytes), so a few MB at most. */
export const TOKEN_CACHE_ENTRIES = 10_000;

export class Authenticator {
  private readonly cache = new Map<string, CachedToken>();

  constructor(
    private readonly repos: Repos,
    private readonly clock: Clock,
  ) {}

  oauth1?: OAuth1Verifier;

  /** Resolves credentials to a principal; null when they name nothing valid (→ 401). */
  async principal(creds: Credentials, req?: AuthRequest): Promise<Principal | null> {
    if (creds.type === 'oauth1') return this.oauth1 && req ? this.oauth1.verify(creds.header, req) : null;
    if (creds.type !== 'bearer') return null;
    // Keyed by the token's digest, never the token: an entry's size does not depend on what a client sends, so
    // TOKEN_CACHE_ENTRIES bounds the cache's bytes (bogus 14 KB tokens cannot grow it).
    const now = this.clock.now();
    const digest = hashSecret(creds.token);
    let hit = this.cache.get(digest);
    // `until` far ahead means the clock was moved back: look again rather than trust the entry that long.
    if (!hit || hit.until <= now || hit.until - now > TOKEN_CACHE_MS) {
      const row = (await this.repos.apps.tokenByHash(digest)) ?? null;
      hit = { row, until: now + (row ? TOKEN_CACHE_MS : 1_000) };
      if (this.cache.size >= TOKEN_CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(digest, hit);
    }
    const row = hit.row;
    if (!row) return null;
    if (row.expiresAt !== null && row.expiresAt <= now) return null;
    if (row.kind === 'app') return { kind: 'app', scheme: 'BearerToken', appId: row.appId, userId: null, scopes: new Set() };
    if (!row.userId) return null;
    return { kind: 'user', scheme: 'OAuth2UserToken', appId: row.appId, userId: row.userId, scopes: new Set(row.scopes) };
  }

  /** Drops cached tokens of an app (after its bearer is invalidated). */
  forgetApp(appId: string): void {
    for (const [k, v] of this.cache) if (v.row?.appId === appId) this.cache.delete(k);
  }

  forget(token: string): void {
    this.cache.delete(hashSecret(token));
  }

  /** The cache's keys (tests: they are digests, never presented tokens). */
  cachedKeys(): string[] {
    return [...this.cache.keys()];
  }
}

/** Operations that read or write a user's messages: OAuth 1.0a needs the Read, write and Direct Messages level. */
const DM_TAGS: ReadonlySet<string> = new Set(['Direct Messages', 'Chats']);

export const OAUTH1_PERMISSION_DETAIL = 'Your client app is not configured with the appropriate oauth1 app permissions for this endpoint.';

/**
 * Per-operation enforcement from the contract's security requirements: missing or invalid credentials → 401,
 * a scheme the operation does not accept → 403 Unsupported Authentication, missing OAuth 2.0 scopes → 403.
 */
export async function authorize(op: OperationDescriptor, req: AuthRequest, auth: Authenticator): Promise<Principal | null> {
  const header = req.authorization;
  if (op.security.length === 0) return null;
  const supported = [...new Set(op.security.map((s) => s.scheme))].sort((a, b) => LABEL_ORDER.indexOf(a) - LABEL_ORDER.indexOf(b));
  const creds = parseAuthorization(header);
  if (creds.type === 'none') throw new Unauthorized();
  if (creds.type === 'unknown') throw new UnsupportedAuthentication(SCHEME_LABEL.Unknown, supported.map((s) => SCHEME_LABEL[s]));
  const p = await auth.principal(creds, req);
  if (!p) throw new Unauthorized();
  const requirement = op.security.find((s) => s.scheme === p.scheme);
  if (!requirement) throw new UnsupportedAuthentication(SCHEME_LABEL[p.scheme], supported.map((s) => SCHEME_LABEL[s]));
  if (p.scheme === 'OAuth2UserToken') {
    const missing = requirement.scopes.filter((s) => !p.scopes.has(s));
    if (missing.length) throw new Forbidden(`Missing required OAuth 2.0 scopes: [${missing.join(', ')}].`);
  }
  if (p.scheme === 'UserToken' && p.permission) {
    // OAuth 1.0a carries the app's permission level instead of scopes.
    const need = DM_TAGS.has(op.tag) || op.path.startsWith('/2/dm_') ? 'dm' : op.method === 'GET' ? 'read' : 'write';
    if (!permits(p.permission, need)) throw new Forbidden(OAUTH1_PERMISSION_DETAIL);
  }
  return p;
}
