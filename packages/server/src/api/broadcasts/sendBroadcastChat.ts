/**
 * POST /2/broadcasts/:id/chat: a chat message into a live broadcast, named by its broadcast id. `timestamp` is when
 * it was stored, in epoch milliseconds like the broadcasts' other times.
 */
import { operation } from '../operation.js';
import { sendChat } from '../../domain/broadcasts.js';
import { isRefusal } from '../../domain/write.js';
import { refused } from '../write-answers.js';
import { userOf } from '../shared.js';
import { BROADCAST_CHAT_PRICE, BROADCAST_LIMIT } from './broadcast-requests.js';

export const sendBroadcastChat = operation({
  operationId: 'sendBroadcastChat',
  rateLimit: BROADCAST_LIMIT,
  metering: BROADCAST_CHAT_PRICE,
  async handle(req) {
    const at = await sendChat(req.ctx, userOf(req), String(req.params.id), req.body.text);
    if (isRefusal(at)) return refused(at, 'id');
    return { body: { data: { success: true, timestamp: String(at) } } };
  },
});
