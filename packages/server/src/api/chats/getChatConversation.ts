/** GET /2/chat/conversations/:id: a conversation the caller is in (a user id names the one-to-one with them). */
import { operation } from '../operation.js';
import { LIST, renderChatConversations } from '../../pipeline/render.js';
import { notFound } from '../../pipeline/problems.js';
import { chatTarget } from '../../domain/chats.js';
import { userOf, renderEnv, selection, single } from '../shared.js';
import { CHAT_LIMIT, CHAT_READ_PRICE } from './chat-requests.js';

export const getChatConversation = operation({
  operationId: 'getChatConversation',
  rateLimit: CHAT_LIMIT,
  metering: CHAT_READ_PRICE,
  async handle(req) {
    const id = String(req.params.id);
    const target = chatTarget(userOf(req), id);
    const rendered = target ? await renderChatConversations(renderEnv(req), [target.id], selection(req), LIST) : { data: [] };
    return rendered.data.length ? single(rendered) : { body: { errors: [notFound('chat_conversation', 'id', id)] } };
  },
});
