import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { requireSelf } from '../shared.js';
import { bookmark } from '../../domain/engagement.js';
import { isRefusal } from '../../domain/write.js';
import { refused } from '../write-answers.js';

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
    const r = await bookmark(req.ctx, me, postId, folderId ?? null);
    if (isRefusal(r)) return refused(r, r.refused === 'folder-missing' ? 'folder_id' : 'tweet_id');
    return { body: { data: { bookmarked: true } } };
  },
});
