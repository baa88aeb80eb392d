import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { requireSelf } from '../shared.js';
import { unmute } from '../../domain/graph.js';

/** DELETE /2/users/:source_user_id/muting/:target_user_id — idempotent. */
export const unmuteUser = operation({
  operationId: 'unmuteUser',
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const me = requireSelf(req, String(req.params.source_user_id));
    await unmute(req.ctx, me, String(req.params.target_user_id));
    return { body: { data: { muting: false } } };
  },
});
