import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { requireSelf } from '../shared.js';
import { unbookmark } from '../../domain/engagement.js';

/** DELETE /2/users/:id/bookmarks/:tweet_id — idempotent. */
export const deleteUsersBookmark = operation({
  operationId: 'deleteUsersBookmark',
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    await unbookmark(req.ctx, me, String(req.params.tweet_id));
    return { body: { data: { bookmarked: false } } };
  },
});
