import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { isResult, requireSelf } from '../shared.js';
import { targetPost } from '../social-shared.js';
import { folderNotFound } from './getUsersBookmarksByFolderId.js';

/**
 * POST /2/users/:id/bookmarks — idempotent; with `folder_id` (one of the user's folders) the bookmark is filed
 * there (an existing bookmark moves).
 */
export const createUsersBookmark = operation({
  operationId: 'createUsersBookmark',
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    const { tweet_id: postId, folder_id: folderId } = req.body;
    if (folderId !== undefined) {
      const folder = (await req.ctx.repos.social.foldersByIds([folderId])).get(folderId);
      if (!folder || folder.userId !== me) return { body: { errors: [folderNotFound(folderId)] } };
    }
    const target = await targetPost(req, me, postId);
    if (isResult(target)) return target;
    const at = req.ctx.clock.now();
    const made = await req.ctx.repos.transaction(async (r) => {
      if (!(await r.social.bookmark(me, postId, at, folderId ?? null))) return false;
      await r.posts.adjustCounters(postId, { bookmark_count: 1 });
      return true;
    });
    if (made) req.ctx.bus.publish({ type: 'bookmark.created', userId: me, postId, at });
    return { body: { data: { bookmarked: true } } };
  },
});
