/**
 * CSRF protection of the console API. The session cookie is SameSite=Strict; on top of that every call that
 * changes something must come from this server's own origin (Origin / Sec-Fetch-Site) and, once signed in, carry
 * the session's CSRF token — an HMAC of the session under the server secret, which a page on another origin cannot
 * read.
 */
import { createHmac, timingSafeEqual, createHash } from 'node:crypto';
import type { Context } from '../context.js';

export function csrfTokenOf(ctx: Context, session: string): string {
  return createHmac('sha256', ctx.serverSecret).update(`console-csrf:${session}`).digest('base64url');
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export function csrfTokenMatches(ctx: Context, session: string, presented: string | undefined): boolean {
  return presented !== undefined && timingSafeEqual(digest(presented), digest(csrfTokenOf(ctx, session)));
}

/**
 * Whether a state-changing request comes from one of the server's own origins: its Origin header (browsers send it
 * on every POST, PATCH and DELETE) must name the origin the request reached, or the public URL; without one,
 * Sec-Fetch-Site must not say another site.
 */
export function sameOrigin(origin: string | undefined, fetchSite: string | undefined, own: readonly string[]): boolean {
  if (origin !== undefined) return own.includes(origin.replace(/\/+$/, ''));
  return fetchSite === undefined || fetchSite === 'same-origin' || fetchSite === 'none';
}
