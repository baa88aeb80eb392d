import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { requireSelf } from '../shared.js';

/** DELETE /2/users/:id/likes/:tweet_id — idempotent; works for posts deleted since they were liked. */
export const unlikePost = operation({
  operationId: 'unlikePost',
  rateLimit: { user: 50, user24h: 1000 },
  metering: meter.request(PRICES.interactionDelete),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    const postId = String(req.params.tweet_id);
    const at = req.ctx.clock.now();
    const removed = await req.ctx.repos.transaction(async (r) => {
      if (!(await r.social.unlike(me, postId))) return false;
      await r.posts.adjustCounters(postId, { like_count: -1 });
      await r.users.adjustCounters(me, { like_count: -1 });
      return true;
    });
    if (removed) req.ctx.bus.publish({ type: 'like.deleted', userId: me, postId, at });
    return { body: { data: { liked: false } } };
  },
});
