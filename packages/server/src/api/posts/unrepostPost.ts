import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { requireSelf } from '../shared.js';

/** DELETE /2/users/:id/retweets/:source_tweet_id — marks the user's live repost deleted; idempotent. */
export const unrepostPost = operation({
  operationId: 'unrepostPost',
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.interactionDelete),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    const postId = String(req.params.source_tweet_id);
    const at = req.ctx.clock.now();
    const repostId = await req.ctx.repos.transaction(async (r) => {
      await r.social.lockUser(me);
      const id = await r.social.liveRepostBy(me, postId);
      if (!id || !(await r.posts.markRepostDeleted(id))) return null;
      await r.posts.adjustCounters(postId, { retweet_count: -1 });
      await r.users.adjustCounters(me, { tweet_count: -1 });
      return id;
    });
    if (repostId) req.ctx.bus.publish({ type: 'repost.deleted', userId: me, postId, repostId, at });
    return { body: { data: { retweeted: false } } };
  },
});
