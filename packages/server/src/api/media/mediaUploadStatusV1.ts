/** GET /1.1/media/upload.json?command=STATUS (an extension of the contract): an upload's state in the v1.1 shape. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { runCommand } from './upload-request.js';
import { v1Body, v1ErrorBody } from './v1-answers.js';

export const mediaUploadStatusV1 = operation({
  operationId: 'mediaUploadStatusV1',
  rateLimit: { user: 1000, app24h: 100_000 },
  metering: meter.free,
  presentError: v1ErrorBody,
  async handle(req) {
    const u = await runCommand(req, 'STATUS', req.params, null, true);
    return { body: v1Body(req, u) };
  },
});
