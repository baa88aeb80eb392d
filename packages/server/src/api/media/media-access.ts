/** Which media a caller may read: seeded media, and uploads once processed (managing them: domain/media.ts). */
import type { OperationRequest } from '../operation.js';
import type { MediaRow } from '../../data/rows.js';

/** Media objects by key: seeded media, and uploads once processed. */
export async function lookup(req: OperationRequest, keys: string[]): Promise<Map<string, MediaRow>> {
  const [rows, uploads] = await Promise.all([req.ctx.repos.attachments.mediaByKeys(keys), req.ctx.repos.mediaUploads.byKeys(keys)]);
  for (const [k, u] of uploads) if (!req.ctx.media.isReady(u)) rows.delete(k);
  return rows;
}
