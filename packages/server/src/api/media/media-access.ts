/** Which media a caller may read: seeded media, and uploads once processed (managing them: domain/media.ts). */
import type { OperationRequest } from '../operation.js';
import type { MediaRow } from '../../data/rows.js';
import { isPrivateCategory } from '../../media/dm-urls.js';

/**
 * Media objects by key: seeded media, and uploads once processed. Direct Message media is not among them: it is
 * shown only in the includes of the DM events that carry it, to their participants.
 */
export async function lookup(req: OperationRequest, keys: string[]): Promise<Map<string, MediaRow>> {
  const [rows, uploads] = await Promise.all([req.ctx.repos.attachments.mediaByKeys(keys), req.ctx.repos.mediaUploads.byKeys(keys)]);
  for (const [k, u] of uploads) if (!req.ctx.media.isReady(u) || isPrivateCategory(u.mediaCategory)) rows.delete(k);
  return rows;
}
