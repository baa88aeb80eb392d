/** GET /2/dm_conversations/with/:participant_id/dm_events: the one-to-one conversation with that user, newest first. */
import { operation } from '../operation.js';
import { CURSORS } from '../../pipeline/pagination.js';
import { userVerdict } from '../../pipeline/rules.js';
import { userProblem } from '../../pipeline/problems.js';
import { pairId } from '../../util/conversations.js';
import { userOf } from '../shared.js';
import { DM_READ_LIMIT, DM_READ_PRICE, eventList } from './dm-requests.js';

export const getDirectMessagesEventsByParticipantId = operation({
  operationId: 'getDirectMessagesEventsByParticipantId',
  rateLimit: DM_READ_LIMIT,
  metering: DM_READ_PRICE,
  async handle(req) {
    const me = userOf(req);
    const other = BigInt(String(req.params.participant_id)).toString();
    const verdict = userVerdict((await req.ctx.repos.users.byIds([other])).get(other));
    if (verdict !== 'ok') return { body: { errors: [userProblem(verdict, 'participant_id', String(req.params.participant_id))] } };
    return eventList(req, CURSORS.dmParticipantEvents, pairId(me, other));
  },
});
