import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { requireSelf } from '../shared.js';
import { removeFollow } from '../social-shared.js';

/** DELETE /2/users/:source_user_id/following/:target_user_id — also withdraws a pending request. Idempotent. */
export const unfollowUser = operation({
  operationId: 'unfollowUser',
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.interactionDelete),
  async handle(req) {
    const me = requireSelf(req, String(req.params.source_user_id));
    const targetId = String(req.params.target_user_id);
    const at = req.ctx.clock.now();
    const removed = await req.ctx.repos.transaction(async (r) => {
      await r.social.withdrawFollowRequest(me, targetId);
      return removeFollow(r, me, targetId);
    });
    if (removed) req.ctx.bus.publish({ type: 'follow.deleted', followerId: me, followeeId: targetId, at });
    return { body: { data: { following: false } } };
  },
});
