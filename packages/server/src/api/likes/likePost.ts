import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { requireSelf } from '../shared.js';
import { like } from '../../domain/engagement.js';
import { isRefusal } from '../../domain/write.js';
import { refused } from '../write-answers.js';

/** POST /2/users/:id/likes — idempotent: liking a liked post changes nothing and answers liked:true. */
export const likePost = operation({
  operationId: 'likePost',
  rateLimit: { user: 50, user24h: 1000 },
  metering: meter.request(PRICES.interactionCreate),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    const { tweet_id: postId } = req.body;
    const r = await like(req.ctx, me, postId);
    if (isRefusal(r)) return refused(r, 'tweet_id');
    return { body: { data: { liked: true } } };
  },
});
