import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { requireSelf } from '../shared.js';
import { unfollow } from '../../domain/graph.js';

/** DELETE /2/users/:source_user_id/following/:target_user_id — also withdraws a pending request. Idempotent. */
export const unfollowUser = operation({
  operationId: 'unfollowUser',
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.interactionDelete),
  async handle(req) {
    const me = requireSelf(req, String(req.params.source_user_id));
    await unfollow(req.ctx, me, String(req.params.target_user_id));
    return { body: { data: { following: false } } };
  },
});
