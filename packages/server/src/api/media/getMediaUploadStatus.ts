/** GET /2/media/upload?command=STATUS: an upload's processing state. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { runCommand, uploadBody } from './upload-request.js';

export const getMediaUploadStatus = operation({
  operationId: 'getMediaUploadStatus',
  rateLimit: { user: 1000, app24h: 100_000 },
  metering: meter.free,
  async handle(req) {
    const u = await runCommand(req, 'STATUS', req.params, null, false);
    return { body: uploadBody(req, u) };
  },
});
