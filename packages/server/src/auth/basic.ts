/** HTTP Basic credentials (RFC 7617), as the token endpoints of OAuth 2.0 receive them. */

/**
 * The user-id and password of an `Authorization: Basic …` header, exactly as sent (each endpoint decodes them its
 * own way); null without a well-formed header.
 */
export function basicPair(header: string | undefined): { user: string; password: string } | null {
  const m = /^\s*Basic\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return null;
  return { user: decoded.slice(0, i), password: decoded.slice(i + 1) };
}
