import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { requireSelf } from '../shared.js';
import { repost } from '../../domain/engagement.js';
import { isRefusal } from '../../domain/write.js';
import { refused } from '../write-answers.js';

/** POST /2/users/:id/retweets — idempotent: reposting twice answers the existing repost (domain/engagement.ts). */
export const repostPost = operation({
  operationId: 'repostPost',
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.interactionCreate),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    const { tweet_id } = req.body;
    const r = await repost(req.ctx, me, tweet_id);
    if (isRefusal(r)) return refused(r, 'tweet_id');
    // `id` is the classic member (FACTS §10); 2.167's schema requires `rest_id` for the same value.
    return { body: { data: { id: r.id, rest_id: r.id, retweeted: true } } };
  },
});
