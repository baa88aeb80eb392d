/** POST /2/chat/conversations/group: creates an initialized group with its members, admins and key shares. */
import { operation } from '../operation.js';
import { createGroup } from '../../domain/chats.js';
import { userOf } from '../shared.js';
import { CHAT_LIMIT, CHAT_WRITE_PRICE } from './chat-requests.js';

export const createChatConversation = operation({
  operationId: 'createChatConversation',
  rateLimit: CHAT_LIMIT,
  metering: CHAT_WRITE_PRICE,
  async handle(req) {
    const r = await createGroup(req.ctx, userOf(req), req.body);
    return { status: 201, body: { data: { conversation_id: r.conversationId, conversation_key_change_sequence_id: r.sequenceId } } };
  },
});
