/** POST /2/chat/conversations/:id/read: the caller's read receipt, up to a sequence id. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { markRead } from '../../domain/chats.js';
import { userOf } from '../shared.js';
import { CHAT_LIMIT, successAnswer } from './chat-requests.js';

export const markChatConversationRead = operation({
  operationId: 'markChatConversationRead',
  rateLimit: CHAT_LIMIT,
  metering: meter.free,
  async handle(req) {
    return successAnswer(await markRead(req.ctx, userOf(req), String(req.params.id), req.body.seen_until_sequence_id));
  },
});
