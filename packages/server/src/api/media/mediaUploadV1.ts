/**
 * POST /1.1/media/upload.json (an extension of the contract): the v1.1 simple upload (`media` or `media_data`) and
 * the `command=INIT|APPEND|FINALIZE|STATUS` steps, answered in v1.1 shapes (APPEND → 204).
 */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { InvalidRequest, Unauthorized } from '../../errors.js';
import type { UploadRow } from '../../data/media-uploads.js';
import { inferCategory, initInput, readUpload, runCommand } from './upload-request.js';
import { v1Body, v1ErrorBody } from './v1-answers.js';

export const mediaUploadV1 = operation({
  operationId: 'mediaUploadV1',
  rateLimit: { user: 500, app24h: 50_000 },
  metering: meter.free,
  rawBody: true,
  presentError: v1ErrorBody,
  async handle(req) {
    const { fields, file } = await readUpload(req);
    const f: Record<string, unknown> = { ...req.params, ...fields };
    const command = typeof f.command === 'string' && f.command !== '' ? f.command : null;
    let u: UploadRow;
    if (command) {
      u = await runCommand(req, command, f, file, true);
      if (command === 'APPEND') return { status: 204, body: '' };
    } else {
      if (!file) throw InvalidRequest.one('media', [], 'media parameter is missing.');
      const me = req.principal?.userId;
      if (!me) throw new Unauthorized();
      // The same fields as INIT (owners trimmed, `shared`, types checked); the category may come from the bytes.
      const inp = initInput(f, true);
      inp.mediaCategory ??= await inferCategory(inp, file);
      u = await req.ctx.media.oneShot(me, inp, file);
    }
    return { body: v1Body(req, u) };
  },
});
