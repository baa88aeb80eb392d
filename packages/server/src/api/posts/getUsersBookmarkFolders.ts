import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { plainList, requireSelf } from '../shared.js';
import { CURSORS, walkIds } from '../../pipeline/pagination.js';

/** GET /2/users/:id/bookmarks/folders — the user's folders as `{id, name}`, newest first. */
export const getUsersBookmarkFolders = operation({
  operationId: 'getUsersBookmarkFolders',
  rateLimit: { user: 50 },
  metering: meter.read('resource'),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    const social = req.ctx.repos.social;
    const page = await walkIds(CURSORS.bookmarkFolders, req.params, Number(req.params.max_results ?? 100), {}, (w) => social.folderIds(me, w));
    const folders = await social.foldersByIds(page.ids);
    const data = page.ids.flatMap((id) => {
      const f = folders.get(id);
      return f ? [{ id: f.id, name: f.name }] : [];
    });
    return plainList(data, page);
  },
});
