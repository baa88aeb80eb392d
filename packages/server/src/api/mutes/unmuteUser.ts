import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { requireSelf } from '../shared.js';

/** DELETE /2/users/:source_user_id/muting/:target_user_id — idempotent. */
export const unmuteUser = operation({
  operationId: 'unmuteUser',
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const me = requireSelf(req, String(req.params.source_user_id));
    const targetId = String(req.params.target_user_id);
    const at = req.ctx.clock.now();
    const removed = await req.ctx.repos.transaction((r) => r.social.unmute(me, targetId));
    if (removed) req.ctx.bus.publish({ type: 'mute.deleted', userId: me, targetId, at });
    return { body: { data: { muting: false } } };
  },
});
