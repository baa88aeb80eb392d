/**
 * GET /2/chat/conversations/:id/events: a conversation's messages, newest first, from when the caller joined;
 * `meta.conversation_key_events` holds the encoded key changes and group actions the client decrypts them with. A
 * conversation the caller is not in has no events for them.
 */
import { operation } from '../operation.js';
import { CURSORS, walkIds } from '../../pipeline/pagination.js';
import { renderChatEvents } from '../../pipeline/render.js';
import { chatTarget } from '../../domain/chats.js';
import { many, userOf, renderEnv, selection } from '../shared.js';
import { CHAT_LIMIT, CHAT_READ_PRICE } from './chat-requests.js';

export const getChatConversationEvents = operation({
  operationId: 'getChatConversationEvents',
  rateLimit: CHAT_LIMIT,
  metering: CHAT_READ_PRICE,
  async handle(req) {
    const me = userOf(req);
    const env = renderEnv(req);
    const target = chatTarget(me, String(req.params.id));
    const membership = target && (await env.repos.chats.memberships(me, [target.id])).get(target.id);
    if (!target || !membership) return { body: { meta: { result_count: 0, has_more: false } } };
    const page = await walkIds(CURSORS.chatEvents, req.params, Number(req.params.max_results ?? 10), {}, (q) =>
      env.repos.chats.eventIds({ conversationId: target.id, kind: 'message', since: membership.joinedAt, ...q }),
    );
    const rendered = await renderChatEvents(env, page.ids, selection(req));
    const meta: Record<string, unknown> = { result_count: rendered.data.length, has_more: !!page.next };
    if (page.next) meta.next_token = page.next;
    const keyEvents = await env.repos.chats.actionEvents(target.id);
    if (keyEvents.length) meta.conversation_key_events = keyEvents;
    return many(rendered, meta);
  },
});
