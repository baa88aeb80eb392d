/** POST /2/chat/conversations/:id/typing: tells the other members the caller is typing (nothing is stored). */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { typing } from '../../domain/chats.js';
import { userOf } from '../shared.js';
import { CHAT_LIMIT, successAnswer } from './chat-requests.js';

export const sendChatTypingIndicator = operation({
  operationId: 'sendChatTypingIndicator',
  rateLimit: CHAT_LIMIT,
  metering: meter.free,
  async handle(req) {
    return successAnswer(await typing(req.ctx, userOf(req), String(req.params.id)));
  },
});
