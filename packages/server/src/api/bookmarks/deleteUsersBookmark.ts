import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { requireSelf } from '../shared.js';

/** DELETE /2/users/:id/bookmarks/:tweet_id — idempotent. */
export const deleteUsersBookmark = operation({
  operationId: 'deleteUsersBookmark',
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    const postId = String(req.params.tweet_id);
    const at = req.ctx.clock.now();
    const removed = await req.ctx.repos.transaction(async (r) => {
      if (!(await r.social.unbookmark(me, postId))) return false;
      await r.posts.adjustCounters(postId, { bookmark_count: -1 });
      return true;
    });
    if (removed) req.ctx.bus.publish({ type: 'bookmark.deleted', userId: me, postId, at });
    return { body: { data: { bookmarked: false } } };
  },
});
