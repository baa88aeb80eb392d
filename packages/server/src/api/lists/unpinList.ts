/** DELETE /2/users/:id/pinned_lists/:list_id — idempotent; the answer is the same whatever the list is. */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { requireSelf } from '../shared.js';
import { unpinList as unpin } from '../../domain/lists.js';

export const unpinList = operation({
  operationId: 'unpinList',
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.manage),
  async handle(req) {
    await unpin(req.ctx, requireSelf(req, String(req.params.id)), String(req.params.list_id));
    return { body: { data: { pinned: false } } };
  },
});
