import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { follow } from '../../domain/graph.js';
import { onTargetUser } from '../write-answers.js';

/**
 * POST /2/users/:id/following — follows, or for a protected account files a follow request
 * (`pending_follow: true`, counters unchanged until accepted). Idempotent.
 */
export const followUser = operation({
  operationId: 'followUser',
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.interactionCreate),
  handle: (req) =>
    onTargetUser(req, follow, (outcome) => {
      const pending = outcome === 'requested' || outcome === 'pending';
      return { following: !pending, pending_follow: pending };
    }),
});
