/**
 * The Challenge-Response Check (FACTS §12.3): a GET to the webhook URL with `crc_token`, answered 200 with JSON
 * `{"response_token": "sha256=<base64 HMAC-SHA256(consumer secret, crc_token)>"}`. Registration, re-validation and
 * the periodic check all run it here.
 */
import { randomBytes } from 'node:crypto';
import type { WebhookSettings } from '../config.js';
import { crcTokenMatches } from './signing.js';
import { OutboundFailure, send } from './outbound.js';

/**
 * How a check went. `transient`: the receiver answered 4xx/5xx, timed out or could not be reached — X keeps a
 * webhook valid through those for a grace period; anything else (a wrong token, a redirect, a TLS failure) is
 * definite.
 */
export type CrcOutcome = { ok: true } | { ok: false; transient: boolean; reason: string };

export function crcUrl(url: string, token: string): string {
  const u = new URL(url);
  u.searchParams.set('crc_token', token);
  return u.toString();
}

export async function runCrc(settings: Pick<WebhookSettings, 'crcTimeoutMs'>, consumerSecret: string | null, url: string): Promise<CrcOutcome> {
  if (consumerSecret === null) {
    return { ok: false, transient: false, reason: 'the app has no consumer secret to answer with (roost apps rotate-secret gives it one)' };
  }
  const token = randomBytes(32).toString('base64');
  let answer;
  try {
    answer = await send({ method: 'GET', url: crcUrl(url, token), timeoutMs: settings.crcTimeoutMs });
  } catch (err) {
    const f = err as OutboundFailure;
    return { ok: false, transient: f.kind !== 'tls', reason: f.kind === 'timeout' ? `the CRC request timed out (${f.message})` : `the CRC request failed (${f.message})` };
  }
  if (answer.status !== 200) {
    const redirect = answer.status >= 300 && answer.status < 400;
    return { ok: false, transient: !redirect, reason: `the CRC request was answered ${answer.status}${redirect ? ' (redirects are not followed)' : ''}` };
  }
  let token2: unknown;
  try {
    token2 = (JSON.parse(answer.body) as { response_token?: unknown }).response_token;
  } catch {
    return { ok: false, transient: false, reason: 'the CRC answer is not JSON' };
  }
  if (!crcTokenMatches(consumerSecret, token, token2)) return { ok: false, transient: false, reason: 'the CRC answer has no response_token or a wrong one' };
  return { ok: true };
}
