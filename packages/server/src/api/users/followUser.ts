import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { requireSelf } from '../shared.js';
import { follow } from '../../domain/graph.js';
import { isRefusal } from '../../domain/write.js';
import { refused } from '../write-answers.js';

/**
 * POST /2/users/:id/following — follows, or for a protected account files a follow request
 * (`pending_follow: true`, counters unchanged until accepted). Idempotent.
 */
export const followUser = operation({
  operationId: 'followUser',
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.interactionCreate),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    const { target_user_id: targetId } = req.body;
    const outcome = await follow(req.ctx, me, targetId);
    if (isRefusal(outcome)) return refused(outcome, 'target_user_id');
    const pending = outcome === 'requested' || outcome === 'pending';
    return { body: { data: { following: !pending, pending_follow: pending } } };
  },
});
