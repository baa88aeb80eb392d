import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { plainList, renderEnv, requireSelf, selection } from '../shared.js';
import { LIST, renderPosts } from '../../pipeline/render.js';
import { CURSORS, walkEdges } from '../../pipeline/pagination.js';
import { PROBLEMS } from '../../errors.js';

/** A folder that does not exist or is not the user's: X's not-found Problem shape, named by `folder_id`. */
export function folderNotFound(folderId: string): Record<string, unknown> {
  return {
    value: folderId,
    detail: `Could not find bookmark folder with folder_id: [${folderId}].`,
    title: 'Not Found Error',
    parameter: 'folder_id',
    resource_id: folderId,
    type: `${PROBLEMS}resource-not-found`,
  };
}

/** GET /2/users/:id/bookmarks/folders/:folder_id — ids of the visible posts filed in the folder, newest first. */
export const getUsersBookmarksByFolderId = operation({
  operationId: 'getUsersBookmarksByFolderId',
  rateLimit: { user: 50 },
  metering: meter.read('post', { owned: true }),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    const folderId = String(req.params.folder_id);
    const env = renderEnv(req);
    const folder = (await env.repos.social.foldersByIds([folderId])).get(folderId);
    if (!folder || folder.userId !== me) return { body: { errors: [folderNotFound(folderId)] } };
    const page = await walkEdges(CURSORS.folderBookmarks, req.params, Number(req.params.max_results ?? 100), (q) =>
      env.repos.social.bookmarksInFolder(folderId, q),
    );
    const rendered = await renderPosts(env, page.ids, selection(req), LIST);
    const data = rendered.data.map((p) => ({ id: String(p.id) }));
    return plainList(data, page);
  },
});
