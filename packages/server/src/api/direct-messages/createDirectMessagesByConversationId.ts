/** POST /2/dm_conversations/:dm_conversation_id/messages: a message to a conversation the caller takes part in. */
import { operation } from '../operation.js';
import { sendToConversation } from '../../domain/dms.js';
import { userOf } from '../shared.js';
import { DM_SEND_LIMIT, DM_SEND_PRICE, sentAnswer } from './dm-requests.js';

export const createDirectMessagesByConversationId = operation({
  operationId: 'createDirectMessagesByConversationId',
  rateLimit: DM_SEND_LIMIT,
  metering: DM_SEND_PRICE,
  async handle(req) {
    return sentAnswer(await sendToConversation(req.ctx, userOf(req), String(req.params.dm_conversation_id), req.body, req.principal?.appId ?? null), 'dm_conversation_id');
  },
});
