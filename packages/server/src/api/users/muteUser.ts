import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { isResult, requireSelf } from '../shared.js';
import { targetUser } from '../social-shared.js';
import { InvalidRequest } from '../../errors.js';

/** POST /2/users/:id/muting — idempotent. */
export const muteUser = operation({
  operationId: 'muteUser',
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.interactionCreate),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    const { target_user_id: targetId } = req.body;
    if (targetId === me) throw InvalidRequest.one('target_user_id', [targetId], 'You cannot mute yourself.');
    const target = await targetUser(req, targetId);
    if (isResult(target)) return target;
    const at = req.ctx.clock.now();
    const made = await req.ctx.repos.transaction((r) => r.social.mute(me, targetId, at));
    if (made) req.ctx.bus.publish({ type: 'mute.created', userId: me, targetId, at });
    return { body: { data: { muting: true } } };
  },
});
