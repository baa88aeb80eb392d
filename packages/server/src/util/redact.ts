/**
 * What logs must never carry: secrets sent in query strings (OAuth codes, verifiers, client secrets, tokens) and
 * in the usual places of logged objects. Values are replaced, names kept, so a log still tells what was sent.
 */
const SECRET_PARAMS = new Set([
  'access_token',
  'client_secret',
  'code',
  'code_verifier',
  'oauth_signature',
  'oauth_token',
  'oauth_token_secret',
  'oauth_verifier',
  'password',
  'refresh_token',
  'token',
]);

export const REDACTED = '[redacted]';

/** A path with query string, with the values of secret parameters replaced. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const parts = url.slice(q + 1).split('&').map((kv) => {
    const eq = kv.indexOf('=');
    const name = decodeURIComponentSafe(eq < 0 ? kv : kv.slice(0, eq)).toLowerCase();
    return SECRET_PARAMS.has(name) && eq >= 0 ? `${kv.slice(0, eq)}=${REDACTED}` : kv;
  });
  return `${url.slice(0, q)}?${parts.join('&')}`;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** pino's `redact` paths: secrets in logged objects (headers, bodies, errors that carry them). */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  ...[...SECRET_PARAMS].flatMap((k) => [k, `*.${k}`, `body.${k}`, `query.${k}`]),
];
