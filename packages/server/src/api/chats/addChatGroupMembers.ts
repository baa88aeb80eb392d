/**
 * POST /2/chat/conversations/:id/members: adds members to a group, usually rotating its key. Spec 2.167 types the
 * answer's `data` as a Post (with no required member); Roost answers `{conversation_id, sequence_id}`, as for keys.
 */
import { operation } from '../operation.js';
import { addMembers } from '../../domain/chats.js';
import { userOf } from '../shared.js';
import { CHAT_LIMIT, CHAT_WRITE_PRICE, keyChangeAnswer } from './chat-requests.js';

export const addChatGroupMembers = operation({
  operationId: 'addChatGroupMembers',
  rateLimit: CHAT_LIMIT,
  metering: CHAT_WRITE_PRICE,
  async handle(req) {
    return keyChangeAnswer(await addMembers(req.ctx, userOf(req), String(req.params.id), req.body));
  },
});
