import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { requireSelf } from '../shared.js';
import { mute } from '../../domain/graph.js';
import { isRefusal } from '../../domain/write.js';
import { refused } from '../write-answers.js';

/** POST /2/users/:id/muting — idempotent. */
export const muteUser = operation({
  operationId: 'muteUser',
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.interactionCreate),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    const { target_user_id: targetId } = req.body;
    const r = await mute(req.ctx, me, targetId);
    if (isRefusal(r)) return refused(r, 'target_user_id');
    return { body: { data: { muting: true } } };
  },
});
