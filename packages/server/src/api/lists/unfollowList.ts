/** DELETE /2/users/:id/followed_lists/:list_id — idempotent; the answer is the same whatever the list is. */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { requireSelf } from '../shared.js';
import { unfollowList as unfollow } from '../../domain/lists.js';

export const unfollowList = operation({
  operationId: 'unfollowList',
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.manage),
  async handle(req) {
    await unfollow(req.ctx, requireSelf(req, String(req.params.id)), String(req.params.list_id));
    return { body: { data: { following: false } } };
  },
});
