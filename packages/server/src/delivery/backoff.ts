/**
 * When a failed delivery is tried again (FACTS §12.3; X retries three times within five minutes): the k-th retry
 * waits `base × 10^(k−1)` after the failure (3 s, 30 s, 300 s with X's base), less up to 20 % of random jitter so
 * receivers that failed together are not hit together again, and never later than the end of the retry window.
 * After the third retry, or once the window is over, the delivery is a dead letter.
 */
import type { WebhookSettings } from '../config.js';

export const MAX_RETRIES = 3;
const FACTOR = 10;
const JITTER = 0.2;

/**
 * The time of the next attempt after `attemptsMade` attempts of a delivery made at `createdAt` have failed, the
 * last one ending at `now`; null: give up. `random` is in [0, 1).
 */
export function nextAttemptAt(createdAt: number, attemptsMade: number, now: number, s: Pick<WebhookSettings, 'retryBaseMs' | 'retryWindowMs'>, random: number): number | null {
  if (attemptsMade > MAX_RETRIES) return null;
  const deadline = createdAt + s.retryWindowMs;
  if (now >= deadline) return null;
  const delay = s.retryBaseMs * FACTOR ** (attemptsMade - 1) * (1 - JITTER * random);
  return Math.min(now + Math.ceil(delay), deadline);
}
