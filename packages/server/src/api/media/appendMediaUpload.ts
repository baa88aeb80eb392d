/** POST /2/media/upload/:id/append: one segment (multipart or base64 JSON); segments 0–999 in any order, retries idempotent. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { InvalidRequest } from '../../errors.js';
import { discard, intField, invalid, MAX_UPLOAD, userOf, readUpload } from './upload-request.js';

export const appendMediaUpload = operation({
  operationId: 'appendMediaUpload',
  rateLimit: { user: 1875, app24h: 180_000 },
  metering: meter.free,
  async handle(req) {
    const me = userOf(req);
    const id = String(req.params.id);
    // Known before the bytes are read: a segment can never be larger than the declared file.
    const session = await req.ctx.media.session(me, id, 'id');
    const { fields, file } = await readUpload(req, session.totalBytes ?? MAX_UPLOAD);
    try {
      const unknown = Object.keys(fields).filter((k) => k !== 'segment_index');
      if (unknown.length) {
        throw new InvalidRequest(unknown.map((k) => ({ parameters: {}, message: `$.${k}: is not defined in the schema and the schema does not allow additional properties` })));
      }
      const index = intField(fields, 'segment_index');
      if (index === undefined) throw invalid('segment_index', [], '$.segment_index: is missing but it is required');
      if (!file) throw invalid('media', [], '$.media: is missing but it is required');
      const u = await req.ctx.media.append(me, id, index, file);
      return { body: { data: { expires_at: Math.floor(u.expiresAt / 1000) } } };
    } finally {
      await discard(file);
    }
  },
});
