import type { OperationDescriptor, SecurityScheme } from '@roost/contract';
import type { Repos } from '../data/index.js';
import type { Clock } from '../clock.js';
import { Forbidden, Unauthorized, UnsupportedAuthentication } from '../errors.js';
import { hashSecret } from './tokens.js';
import type { TokenRow } from '../data/rows.js';

export type Principal =
  | { kind: 'app'; scheme: 'BearerToken'; appId: string; userId: null; scopes: ReadonlySet<string> }
  | { kind: 'user'; scheme: 'OAuth2UserToken' | 'UserToken'; appId: string; userId: string; scopes: ReadonlySet<string> };

/** How X names each scheme in its Unsupported Authentication message. */
export const SCHEME_LABEL: Record<SecurityScheme | 'Unknown', string> = {
  UserToken: 'OAuth 1.0a User Context',
  BearerToken: 'OAuth 2.0 Application-Only',
  OAuth2UserToken: 'OAuth 2.0 User Context',
  Unknown: 'Unknown',
};
const LABEL_ORDER: SecurityScheme[] = ['UserToken', 'BearerToken', 'OAuth2UserToken'];

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
 * a token; the lookup would otherwise be a query per request). Revocation on this node is immediate through
 * `forgetApp`/`forget`; other nodes notice within `TOKEN_CACHE_MS`.
 */
export const TOKEN_CACHE_MS = 5_000;

export class Authenticator {
  private readonly cache = new Map<string, CachedToken>();

  constructor(
    private readonly repos: Repos,
    private readonly clock: Clock,
  ) {}

  /** Resolves credentials to a principal; null when they name nothing valid (→ 401). */
  async principal(creds: Credentials): Promise<Principal | null> {
    if (creds.type !== 'bearer') return null; // OAuth 1.0a user context arrives with the Auth issue.
    // Keyed by the presented token itself (process memory only), so a hit costs no hashing.
    const now = this.clock.now();
    let hit = this.cache.get(creds.token);
    if (!hit || hit.until <= now) {
      const row = (await this.repos.apps.tokenByHash(hashSecret(creds.token))) ?? null;
      hit = { row, until: now + (row ? TOKEN_CACHE_MS : 1_000) };
      if (this.cache.size >= 10_000) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(creds.token, hit);
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
    this.cache.delete(token);
  }
}

/**
 * Per-operation enforcement from the contract's security requirements: missing or invalid credentials → 401,
 * a scheme the operation does not accept → 403 Unsupported Authentication, missing OAuth 2.0 scopes → 403.
 */
export async function authorize(op: OperationDescriptor, header: string | undefined, auth: Authenticator): Promise<Principal | null> {
  if (op.security.length === 0) return null;
  const supported = [...new Set(op.security.map((s) => s.scheme))].sort((a, b) => LABEL_ORDER.indexOf(a) - LABEL_ORDER.indexOf(b));
  const creds = parseAuthorization(header);
  if (creds.type === 'none') throw new Unauthorized();
  if (creds.type === 'unknown') throw new UnsupportedAuthentication(SCHEME_LABEL.Unknown, supported.map((s) => SCHEME_LABEL[s]));
  const p = await auth.principal(creds);
  if (!p) throw new Unauthorized();
  const req = op.security.find((s) => s.scheme === p.scheme);
  if (!req) throw new UnsupportedAuthentication(SCHEME_LABEL[p.scheme], supported.map((s) => SCHEME_LABEL[s]));
  if (p.scheme === 'OAuth2UserToken') {
    const missing = req.scopes.filter((s) => !p.scopes.has(s));
    if (missing.length) throw new Forbidden(`Missing required OAuth 2.0 scopes: [${missing.join(', ')}].`);
  }
  return p;
}
