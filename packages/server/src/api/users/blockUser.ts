/**
 * POST /2/users/:id/blocking: X's classic v2 blocking write, which spec 2.167 no longer lists (an extension of the
 * contract). Blocking removes follows and follow requests both ways, with their counters.
 */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { requireSelf } from '../shared.js';
import { block } from '../../domain/graph.js';
import { isRefusal } from '../../domain/write.js';
import { refused } from '../write-answers.js';

export const blockUser = operation({
  operationId: 'blockUser',
  // Not in X's table; as mutes.
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.interactionCreate),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    const { target_user_id: targetId } = req.body;
    const r = await block(req.ctx, me, targetId);
    if (isRefusal(r)) return refused(r, 'target_user_id');
    return { body: { data: { blocking: true } } };
  },
});
