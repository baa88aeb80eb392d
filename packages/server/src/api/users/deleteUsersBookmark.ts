import type { Operation } from '../types.js';
import { requireSelf } from '../shared.js';

/** DELETE /2/users/:id/bookmarks/:tweet_id — idempotent. */
export const deleteUsersBookmark: Operation = {
  operationId: 'deleteUsersBookmark',
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
};
