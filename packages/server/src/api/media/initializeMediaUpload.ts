/** POST /2/media/upload/initialize: opens a chunked upload. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { userOf } from './upload-request.js';

export const initializeMediaUpload = operation({
  operationId: 'initializeMediaUpload',
  rateLimit: { user: 1875, app24h: 180_000 },
  metering: meter.free,
  async handle(req) {
    const me = userOf(req);
    const b = req.body;
    const u = await req.ctx.media.init(me, {
      mediaCategory: b.media_category,
      mediaType: b.media_type,
      totalBytes: b.total_bytes,
      additionalOwners: b.additional_owners,
      shared: b.shared,
    });
    return { body: { data: req.ctx.media.view(u) } };
  },
});
