/** POST /2/chat/media/upload/initialize: opens an upload of an encrypted attachment to a conversation of the caller's. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { initMedia } from '../../domain/chats.js';
import { isRefusal } from '../../domain/write.js';
import { refused } from '../write-answers.js';
import { userOf } from '../shared.js';
import { CHAT_LIMIT } from './chat-requests.js';

export const chatMediaUploadInitialize = operation({
  operationId: 'chatMediaUploadInitialize',
  rateLimit: CHAT_LIMIT,
  metering: meter.free,
  async handle(req) {
    const r = await initMedia(req.ctx, userOf(req), req.body);
    if (isRefusal(r)) return refused(r, 'conversation_id');
    return { body: { data: { session_id: r.sessionId, media_hash_key: r.mediaHashKey, conversation_id: r.conversationId } } };
  },
});
