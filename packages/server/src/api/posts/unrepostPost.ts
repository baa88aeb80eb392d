import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { requireSelf } from '../shared.js';
import { unrepost } from '../../domain/engagement.js';

/** DELETE /2/users/:id/retweets/:source_tweet_id — marks the user's live repost deleted; idempotent. */
export const unrepostPost = operation({
  operationId: 'unrepostPost',
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.interactionDelete),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    await unrepost(req.ctx, me, String(req.params.source_tweet_id));
    return { body: { data: { retweeted: false } } };
  },
});
