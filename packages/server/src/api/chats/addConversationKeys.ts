/** POST /2/chat/conversations/:id/keys: initializes (a new one-to-one) or rotates a conversation key. */
import { operation } from '../operation.js';
import { addConversationKeys as addKeys } from '../../domain/chats.js';
import { userOf } from '../shared.js';
import { CHAT_LIMIT, CHAT_MANAGE_PRICE, keyChangeAnswer } from './chat-requests.js';

export const addConversationKeys = operation({
  operationId: 'addConversationKeys',
  rateLimit: CHAT_LIMIT,
  metering: CHAT_MANAGE_PRICE,
  async handle(req) {
    return keyChangeAnswer(await addKeys(req.ctx, userOf(req), String(req.params.id), req.body));
  },
});
