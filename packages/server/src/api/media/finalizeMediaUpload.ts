/** POST /2/media/upload/:id/finalize: closes a chunked upload; processing starts on the server clock. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { userOf, uploadBody } from './upload-request.js';

export const finalizeMediaUpload = operation({
  operationId: 'finalizeMediaUpload',
  rateLimit: { user: 1875, app24h: 180_000 },
  metering: meter.free,
  async handle(req) {
    const u = await req.ctx.media.finalize(userOf(req), String(req.params.id));
    return { body: uploadBody(req, u) };
  },
});
