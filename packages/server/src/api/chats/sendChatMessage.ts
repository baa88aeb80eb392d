/** POST /2/chat/conversations/:id/messages: an encrypted message; a retry with the same message_id is answered again. */
import { operation } from '../operation.js';
import { sendMessage } from '../../domain/chats.js';
import { isRefusal } from '../../domain/write.js';
import { refused } from '../write-answers.js';
import { userOf } from '../shared.js';
import { CHAT_LIMIT, CHAT_WRITE_PRICE } from './chat-requests.js';

export const sendChatMessage = operation({
  operationId: 'sendChatMessage',
  rateLimit: CHAT_LIMIT,
  metering: CHAT_WRITE_PRICE,
  async handle(req) {
    const r = await sendMessage(req.ctx, userOf(req), String(req.params.id), req.body);
    return isRefusal(r) ? refused(r, 'id') : { status: 201, body: { data: { encoded_message_event: r.encodedEvent } } };
  },
});
