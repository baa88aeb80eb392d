/**
 * GET /2/dm_conversations/:id/dm_events: one conversation's events, newest first. A conversation the caller is not
 * in answers like one that does not exist: no events.
 */
import { operation } from '../operation.js';
import { conversationCursor, DM_READ_LIMIT, DM_READ_PRICE, eventList } from './dm-requests.js';
import { pairId, pairOf } from '../../util/conversations.js';

export const getDirectMessagesEventsByConversationId = operation({
  operationId: 'getDirectMessagesEventsByConversationId',
  rateLimit: DM_READ_LIMIT,
  metering: DM_READ_PRICE,
  handle(req) {
    const id = String(req.params.id);
    const pair = pairOf(id);
    // `a-b` in either order (and with leading zeros) names the same conversation.
    return eventList(req, conversationCursor, pair ? pairId(BigInt(pair[0]).toString(), BigInt(pair[1]).toString()) : id);
  },
});
