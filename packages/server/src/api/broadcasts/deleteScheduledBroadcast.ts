/** DELETE /2/broadcasts/scheduled/:id: deletes a scheduled broadcast of the caller's (`roll_forward`: and the later occurrences). */
import { operation } from '../operation.js';
import { deleteBroadcast } from '../../domain/broadcasts.js';
import { isRefusal } from '../../domain/write.js';
import { refused } from '../write-answers.js';
import { userOf } from '../shared.js';
import { BROADCAST_LIMIT, BROADCAST_WRITE_PRICE } from './broadcast-requests.js';

export const deleteScheduledBroadcast = operation({
  operationId: 'deleteScheduledBroadcast',
  rateLimit: BROADCAST_LIMIT,
  metering: BROADCAST_WRITE_PRICE,
  async handle(req) {
    const outcome = await deleteBroadcast(req.ctx, userOf(req), String(req.params.id), req.params.roll_forward === true);
    if (isRefusal(outcome)) return refused(outcome, 'id');
    return { body: { data: { deleted: true } } };
  },
});
