/** POST /2/broadcasts/scheduled: schedules a broadcast of the caller's (with `recurrence`, each occurrence); 201. */
import { operation } from '../operation.js';
import { scheduleBroadcast } from '../../domain/broadcasts.js';
import { userOf } from '../shared.js';
import { BROADCAST_LIMIT, BROADCAST_WRITE_PRICE, broadcastAnswer } from './broadcast-requests.js';

export const createScheduledBroadcast = operation({
  operationId: 'createScheduledBroadcast',
  rateLimit: BROADCAST_LIMIT,
  metering: BROADCAST_WRITE_PRICE,
  async handle(req) {
    return broadcastAnswer(req, await scheduleBroadcast(req.ctx, userOf(req), req.body), 201);
  },
});
