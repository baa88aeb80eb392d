/** GET /2/chat/conversations: the caller's inbox, by newest activity first. */
import { operation } from '../operation.js';
import { CURSORS, walkIds } from '../../pipeline/pagination.js';
import { LIST, renderChatConversations } from '../../pipeline/render.js';
import { many, userOf, renderEnv, selection } from '../shared.js';
import { CHAT_LIMIT, CHAT_READ_PRICE } from './chat-requests.js';

export const getChatConversations = operation({
  operationId: 'getChatConversations',
  rateLimit: CHAT_LIMIT,
  metering: CHAT_READ_PRICE,
  async handle(req) {
    const me = userOf(req);
    const env = renderEnv(req);
    // Pages walk the conversations' newest event ids (unique), then name the conversations.
    const byEvent = new Map<string, string>();
    const page = await walkIds(CURSORS.chatConversations, req.params, Number(req.params.max_results ?? 10), {}, async (q) => {
      const rows = await env.repos.chats.inbox({ userId: me, ...q });
      for (const r of rows) byEvent.set(r.lastEventId, r.conversationId);
      return rows.map((r) => r.lastEventId);
    });
    const rendered = await renderChatConversations(env, page.ids.map((e) => byEvent.get(e)!), selection(req), LIST);
    const meta: Record<string, unknown> = { result_count: rendered.data.length, has_more: !!page.next, has_message_requests: false };
    if (page.next) meta.next_token = page.next;
    return many(rendered, meta);
  },
});
