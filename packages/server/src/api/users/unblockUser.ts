/** DELETE /2/users/:source_user_id/blocking/:target_user_id: the classic v2 unblock (an extension of the contract). */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { requireSelf } from '../shared.js';
import { unblock } from '../../domain/graph.js';

export const unblockUser = operation({
  operationId: 'unblockUser',
  // Not in X's table; as mutes.
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.interactionDelete),
  async handle(req) {
    const me = requireSelf(req, String(req.params.source_user_id));
    await unblock(req.ctx, me, String(req.params.target_user_id));
    return { body: { data: { blocking: false } } };
  },
});
