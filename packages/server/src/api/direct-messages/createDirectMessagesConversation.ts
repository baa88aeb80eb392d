/** POST /2/dm_conversations: a group conversation with participants and a first message. */
import { operation } from '../operation.js';
import { createGroup } from '../../domain/dms.js';
import { userOf } from '../shared.js';
import { DM_SEND_LIMIT, DM_SEND_PRICE, sentAnswer } from './dm-requests.js';

export const createDirectMessagesConversation = operation({
  operationId: 'createDirectMessagesConversation',
  rateLimit: DM_SEND_LIMIT,
  metering: DM_SEND_PRICE,
  async handle(req) {
    const b = req.body;
    return sentAnswer(await createGroup(req.ctx, userOf(req), b.participant_ids, b.message, req.principal?.appId ?? null), 'participant_ids');
  },
});
