/** POST /2/chat/media/upload/:id/finalize: closes the upload once `num_parts` segments are in. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { finalizeMedia, mediaSession } from '../../domain/chats.js';
import { userOf } from '../shared.js';
import { CHAT_LIMIT } from './chat-requests.js';

export const chatMediaUploadFinalize = operation({
  operationId: 'chatMediaUploadFinalize',
  rateLimit: CHAT_LIMIT,
  metering: meter.free,
  async handle(req) {
    const me = userOf(req);
    const b = req.body;
    const session = await mediaSession(req.ctx, me, String(req.params.id), b.conversation_id, b.media_hash_key);
    await finalizeMedia(req.ctx, me, session, b.num_parts);
    return { body: { data: { success: true } } };
  },
});
