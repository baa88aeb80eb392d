import { createHash, createHmac, randomBytes } from 'node:crypto';

/** Tokens and secrets are stored as SHA-256 digests; the clear value is shown once. */
export const hashSecret = (value: string): string => createHash('sha256').update(value).digest('hex');

export const randomToken = (bytes = 30): string => randomBytes(bytes).toString('base64url');

/** Consumer keys look like X's: 25 alphanumerics. Secrets: 50. */
export function randomAlnum(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; out.length < length && i < bytes.length; i++) if (bytes[i] < 248) out += alphabet[bytes[i] % 62];
  return out.length === length ? out : out + randomAlnum(length - out.length);
}

/**
 * An app's bearer token is derived, not stored: HMAC of the app id and its bearer generation under the server
 * secret. Repeating client_credentials returns the same token until it is invalidated (generation bumped). The
 * result is shaped like X's (leading A's, URL-encoded base64 characters) and only its hash is kept.
 */
export function deriveBearer(serverSecret: string, appId: string, generation: number): string {
  const mac = createHmac('sha256', serverSecret).update(`bearer:${appId}:${generation}`).digest('base64');
  return `AAAAAAAAAAAAAAAAAAAAA${appId}AAAAAAA${encodeURIComponent(mac)}`;
}
