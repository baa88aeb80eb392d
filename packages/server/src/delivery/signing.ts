/**
 * X's webhook signatures (FACTS §12.3): `sha256=` + base64(HMAC-SHA256(key = the app's consumer secret, message)).
 * The message is the `crc_token` for a CRC answer's `response_token`, and the raw body for the
 * `x-twitter-webhooks-signature` header of every delivery.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-twitter-webhooks-signature';

export function sign(consumerSecret: string, message: string | Buffer): string {
  return `sha256=${createHmac('sha256', consumerSecret).update(message).digest('base64')}`;
}

/** Whether a CRC answer's token is the one the secret makes (compared in constant time). */
export function crcTokenMatches(consumerSecret: string, crcToken: string, responseToken: unknown): boolean {
  if (typeof responseToken !== 'string') return false;
  const want = Buffer.from(sign(consumerSecret, crcToken));
  const got = Buffer.from(responseToken);
  return want.length === got.length && timingSafeEqual(want, got);
}
