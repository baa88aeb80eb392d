/** POST /2/dm_conversations/with/:participant_id/messages: a one-to-one message; the first one makes the conversation. */
import { operation } from '../operation.js';
import { sendToParticipant } from '../../domain/dms.js';
import { userOf } from '../shared.js';
import { DM_SEND_LIMIT, DM_SEND_PRICE, sentAnswer } from './dm-requests.js';

export const createDirectMessagesByParticipantId = operation({
  operationId: 'createDirectMessagesByParticipantId',
  rateLimit: DM_SEND_LIMIT,
  metering: DM_SEND_PRICE,
  async handle(req) {
    const other = BigInt(String(req.params.participant_id)).toString();
    return sentAnswer(await sendToParticipant(req.ctx, userOf(req), other, req.body, req.principal?.appId ?? null), 'participant_id');
  },
});
