/** Which media a caller may manage or read: owners and additional owners, processed uploads, seeded media. */
import type { OperationRequest } from '../operation.js';
import type { UploadRow } from '../../data/media-uploads.js';
import type { MediaRow } from '../../data/rows.js';
import { kindOfCategory, normalizeCategory } from '../../media/service.js';
import { idInRange } from '../../util/snowflake.js';
import { invalid, meOf } from './upload-request.js';

/** An upload the caller may manage: owner or additional owner, finalized. */
export async function managed(req: OperationRequest, id: string, param: string): Promise<UploadRow> {
  const me = meOf(req);
  // DeleteMediaSubtitlesRequest gives `id` no pattern, so not every id reaching here was validated.
  const u = /^\d{1,19}$/.test(id) && idInRange(id) ? await req.ctx.repos.mediaUploads.byId(id) : null;
  if (!u || (u.ownerId !== me && !u.additionalOwners.includes(me))) throw invalid(param, [id], `The \`${param}\` value [${id}] is not a valid media id.`);
  if (u.status !== 'finalized') throw invalid(param, [id], `The media id [${id}] has not been finalized.`);
  return u;
}

export async function subtitledVideo(req: OperationRequest, id: string | undefined, category: string | undefined): Promise<UploadRow> {
  if (!id) throw invalid('id', [], '$.id: is missing but it is required');
  if (!category) throw invalid('media_category', [], '$.media_category: is missing but it is required');
  const u = await managed(req, id, 'id');
  if (kindOfCategory(u.mediaCategory) !== 'video') throw invalid('id', [id], `The media id [${id}] is not a video.`);
  const want = normalizeCategory(category);
  if (want !== 'tweet_video' && want !== 'amplify_video') {
    throw invalid('media_category', [category], `The \`media_category\` value [${category}] is not one of [AmplifyVideo,TweetVideo]`);
  }
  return u;
}

/** Media objects by key: seeded media, and uploads once processed. */
export async function lookup(req: OperationRequest, keys: string[]): Promise<Map<string, MediaRow>> {
  const [rows, uploads] = await Promise.all([req.ctx.repos.attachments.mediaByKeys(keys), req.ctx.repos.mediaUploads.byKeys(keys)]);
  for (const [k, u] of uploads) if (!req.ctx.media.isReady(u)) rows.delete(k);
  return rows;
}
