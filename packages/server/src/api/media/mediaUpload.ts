/** POST /2/media/upload: a one-shot upload (multipart or base64 JSON), or a legacy `command=` step in the query string. */
import { meter } from '../../limits/metering.js';
import { legacyMediaUploadParams } from '@roost/contract';
import { operation } from '../operation.js';
import { InvalidRequest } from '../../errors.js';
import { discard, initInput, invalid, userOf, ONE_SHOT_KEYS, readUpload, runCommand, strField, uploadBody } from './upload-request.js';

export const mediaUpload = operation({
  operationId: 'mediaUpload',
  rateLimit: { user: 500, app24h: 50_000 },
  metering: meter.free,
  extraParams: legacyMediaUploadParams,
  // Multipart file parts go straight to disk; JSON, form and query forms are read and checked by the handler.
  rawBody: true,
  async handle(req) {
    userOf(req);
    const { fields, file } = await readUpload(req);
    try {
      const f: Record<string, unknown> = { ...req.params, ...fields };
      const command = strField(f, 'command');
      if (command) {
        const u = await runCommand(req, command, f, file, false);
        if (command === 'APPEND') return { body: { data: { id: u.id, expires_at: Math.floor(u.expiresAt / 1000) } } };
        return { body: uploadBody(req, u) };
      }
      const unknown = Object.keys(f).filter((k) => !ONE_SHOT_KEYS.has(k));
      if (unknown.length) {
        throw new InvalidRequest(unknown.map((k) => ({ parameters: {}, message: `$.${k}: is not defined in the schema and the schema does not allow additional properties` })));
      }
      if (!file) throw invalid('media', [], '$.media: is missing but it is required');
      const inp = initInput(f, false);
      if (inp.mediaCategory === undefined) throw invalid('media_category', [], '$.media_category: is missing but it is required');
      const u = await req.ctx.media.oneShot(userOf(req), inp, file);
      return { body: uploadBody(req, u) };
    } finally {
      await discard(file);
    }
  },
});
