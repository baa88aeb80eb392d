import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { requireSelf } from '../shared.js';
import { unlike } from '../../domain/engagement.js';

/** DELETE /2/users/:id/likes/:tweet_id — idempotent; works for posts deleted since they were liked. */
export const unlikePost = operation({
  operationId: 'unlikePost',
  rateLimit: { user: 50, user24h: 1000 },
  metering: meter.request(PRICES.interactionDelete),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    await unlike(req.ctx, me, String(req.params.tweet_id));
    return { body: { data: { liked: false } } };
  },
});
