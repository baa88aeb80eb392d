/** GET /2/chat/media/:id/:media_hash_key: an attachment's encrypted bytes, for the conversation's members only. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { ProblemError } from '../../errors.js';
import { notFound } from '../../pipeline/problems.js';
import { mediaBytes } from '../../domain/chats.js';
import { userOf } from '../shared.js';
import { CHAT_LIMIT } from './chat-requests.js';

export const chatMediaDownload = operation({
  operationId: 'chatMediaDownload',
  rateLimit: CHAT_LIMIT,
  metering: meter.free,
  async handle(req) {
    const key = String(req.params.media_hash_key);
    const u = await mediaBytes(req.ctx, userOf(req), String(req.params.id), key);
    if (!u) throw new ProblemError(404, { ...notFound('media', 'media_hash_key', key), status: 404 });
    return {
      contentType: 'application/octet-stream',
      headers: { 'content-length': u.size ?? 0, 'cache-control': 'private, max-age=86400' },
      body: req.ctx.media.blobs.open(u.blobKey!),
    };
  },
});
