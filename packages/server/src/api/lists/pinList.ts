/** POST /2/users/:id/pinned_lists — pins a list the authenticated user may see, up to X's cap of 5. */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { requireSelf } from '../shared.js';
import { pinList as pin } from '../../domain/lists.js';
import { isRefusal } from '../../domain/write.js';
import { refused } from '../write-answers.js';

export const pinList = operation({
  operationId: 'pinList',
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const outcome = await pin(req.ctx, requireSelf(req, String(req.params.id)), req.body.list_id);
    if (isRefusal(outcome)) return refused(outcome, 'list_id');
    return { body: { data: { pinned: true } } };
  },
});
