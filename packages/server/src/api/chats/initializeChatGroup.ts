/** POST /2/chat/conversations/group/initialize: mints a group id (`g…`) for the caller to create. */
import { operation } from '../operation.js';
import { initializeGroup } from '../../domain/chats.js';
import { userOf } from '../shared.js';
import { CHAT_LIMIT, CHAT_MANAGE_PRICE } from './chat-requests.js';

export const initializeChatGroup = operation({
  operationId: 'initializeChatGroup',
  rateLimit: CHAT_LIMIT,
  metering: CHAT_MANAGE_PRICE,
  async handle(req) {
    return { body: { data: { conversation_id: await initializeGroup(req.ctx, userOf(req)) } } };
  },
});
