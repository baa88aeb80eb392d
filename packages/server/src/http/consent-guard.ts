/**
 * What protects the consent pages (OAuth 1.0a and 2.0) against other sites: a CSRF token bound to the request it
 * was rendered for and signed with the server secret (stateless, so any node can check it), a refusal of form
 * posts whose Origin is another site, and headers that forbid framing (clickjacking).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** How long a rendered consent form may be submitted. */
export const CONSENT_TOKEN_MS = 30 * 60_000;

export class ConsentGuard {
  constructor(
    private readonly secret: string,
    private readonly now: () => number,
    private readonly publicUrl: string | null,
  ) {}

  private mac(purpose: string, issuedAt: number): string {
    return createHmac('sha256', this.secret).update(`consent:${purpose}:${issuedAt}`).digest('base64url');
  }

  /** A token for a form that confirms `purpose` (what the form authorizes, e.g. the request token or the query). */
  token(purpose: string): string {
    const t = this.now();
    return `${t.toString(36)}.${this.mac(purpose, t)}`;
  }

  /** Whether `token` was issued by this server for `purpose` and is still fresh. */
  valid(token: string | undefined, purpose: string): boolean {
    if (!token) return false;
    const dot = token.indexOf('.');
    const issuedAt = parseInt(token.slice(0, dot), 36);
    if (dot <= 0 || !Number.isFinite(issuedAt)) return false;
    const age = this.now() - issuedAt;
    if (age < 0 || age > CONSENT_TOKEN_MS) return false;
    const want = Buffer.from(this.mac(purpose, issuedAt));
    const got = Buffer.from(token.slice(dot + 1));
    return got.length === want.length && timingSafeEqual(got, want);
  }

  /**
   * A form post from another site: its Origin (or, without one, its Referer) names a different origin than the
   * page's own. Requests with neither header (non-browser clients, tests) are left to the CSRF token.
   */
  crossSite(req: FastifyRequest): boolean {
    const origin = req.headers.origin ?? originOf(req.headers.referer);
    if (!origin || origin === 'null') return origin === 'null';
    const own = new Set<string>();
    const host = req.headers.host;
    if (host) {
      own.add(`http://${host}`);
      own.add(`https://${host}`);
    }
    const pub = originOf(this.publicUrl ?? undefined);
    if (pub) own.add(pub);
    return !own.has(origin.toLowerCase());
  }
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin.toLowerCase();
  } catch {
    return undefined;
  }
}

/** Headers of every consent page: never framed, never cached. */
export function consentHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('cache-control', 'no-store')
    .header('x-frame-options', 'DENY')
    .header('content-security-policy', "frame-ancestors 'none'")
    .header('referrer-policy', 'no-referrer');
}
