import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { isResult, requireSelf } from '../shared.js';
import { targetPost } from '../social-shared.js';

/** POST /2/users/:id/likes — idempotent: liking a liked post changes nothing and answers liked:true. */
export const likePost = operation({
  operationId: 'likePost',
  rateLimit: { user: 50, user24h: 1000 },
  metering: meter.request(PRICES.interactionCreate),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    const { tweet_id: postId } = req.body;
    const target = await targetPost(req, me, postId);
    if (isResult(target)) return target;
    const at = req.ctx.clock.now();
    const made = await req.ctx.repos.transaction(async (r) => {
      if (!(await r.social.like(me, postId, at))) return false;
      await r.posts.adjustCounters(postId, { like_count: 1 });
      await r.users.adjustCounters(me, { like_count: 1 });
      return true;
    });
    if (made) req.ctx.bus.publish({ type: 'like.created', userId: me, postId, at });
    return { body: { data: { liked: true } } };
  },
});
