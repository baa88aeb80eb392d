/**
 * An OAuth 1.0a client-side signer written for the tests, independently of the server's (oauth1.test.ts checks it
 * against X's documentation vector first): HMAC-SHA1 over method, URL and parameters (RFC 5849).
 */
import { createHmac, randomBytes } from 'node:crypto';

export const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

export interface SignOpts {
  method: string;
  /** The URL the client signs (origin + path + query). */
  url: string;
  consumerKey: string;
  consumerSecret: string;
  token?: string;
  tokenSecret?: string;
  /** Extra oauth_* parameters for the header (oauth_callback, oauth_verifier). */
  oauth?: Record<string, string>;
  form?: Record<string, string>;
  timestamp?: number;
  nonce?: string;
  sep?: string;
}

/** Signs a request; `timestamp` defaults to `now` (seconds): the server's clock, not the wall clock. */
export function sign(o: SignOpts, now: number): { header: string; signature: string } {
  const oauth: Record<string, string> = {
    oauth_consumer_key: o.consumerKey,
    oauth_nonce: o.nonce ?? randomBytes(16).toString('hex'),
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: String(o.timestamp ?? now),
    oauth_version: '1.0',
    ...(o.token ? { oauth_token: o.token } : {}),
    ...(o.oauth ?? {}),
  };
  const u = new URL(o.url);
  // Like xdk's getAccessToken: an oauth_* parameter also sent in the query is signed once.
  const query = [...u.searchParams].filter(([k, v]) => !(k in oauth && oauth[k] === v));
  const pairs: [string, string][] = [...query, ...Object.entries(o.form ?? {}), ...Object.entries(oauth)];
  const norm = pairs
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .sort()
    .join('&');
  const base = `${o.method.toUpperCase()}&${enc(`${u.protocol}//${u.host}${u.pathname}`)}&${enc(norm)}`;
  const signature = createHmac('sha1', `${enc(o.consumerSecret)}&${enc(o.tokenSecret ?? '')}`).update(base).digest('base64');
  const header = 'OAuth ' + Object.entries({ ...oauth, oauth_signature: signature }).map(([k, v]) => `${enc(k)}="${enc(v)}"`).join(o.sep ?? ', ');
  return { header, signature };
}
