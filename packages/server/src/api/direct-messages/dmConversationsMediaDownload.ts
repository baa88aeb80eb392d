/**
 * GET /2/dm_conversations/media/:dm_id/:media_id/:resource_id: the bytes of a DM attachment (or its preview image),
 * for the participants of the conversation holding event `dm_id` only; the URLs in `includes.media` of DM events
 * point here. Anyone else — and any id that names nothing — gets the same 404.
 */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { ProblemError } from '../../errors.js';
import { dmEventMedia } from '../../pipeline/render.js';
import { notFound } from '../../pipeline/problems.js';
import { greyPng } from '../../media/preview.js';
import { idInRange } from '../../util/snowflake.js';
import { userOf, renderEnv } from '../shared.js';

const isId = (v: string) => /^\d{1,19}$/.test(v) && idInRange(v);

export const dmConversationsMediaDownload = operation({
  operationId: 'dmConversationsMediaDownload',
  rateLimit: {},
  metering: meter.free,
  async handle(req) {
    userOf(req);
    const dmId = String(req.params.dm_id);
    const mediaId = String(req.params.media_id);
    const resource = String(req.params.resource_id);
    const missing = new ProblemError(404, { ...notFound('media', 'media_id', mediaId), status: 404 });
    const m = isId(dmId) && isId(mediaId) ? await dmEventMedia(renderEnv(req), dmId, mediaId) : undefined;
    if (!m) throw missing;
    const headers = { 'cache-control': 'private, max-age=86400' };
    if (resource === (m.url ?? m.variants?.[0]?.url)) {
      const found = await req.ctx.media.served(m.mediaKey, { dm: true });
      if (!found) throw missing;
      return { contentType: found.contentType, headers: { ...headers, 'content-length': found.u.size ?? 0 }, body: req.ctx.media.blobs.open(found.u.blobKey!) };
    }
    if (resource === m.previewImageUrl && m.width && m.height) return { contentType: 'image/png', headers, body: greyPng(m.width, m.height) };
    throw missing;
  },
});
