/** PUT /2/broadcasts/scheduled/:id: changes a scheduled broadcast of the caller's (`roll_forward`: and the later occurrences). */
import { operation } from '../operation.js';
import { changeBroadcast } from '../../domain/broadcasts.js';
import { userOf } from '../shared.js';
import { BROADCAST_LIMIT, BROADCAST_WRITE_PRICE, broadcastAnswer } from './broadcast-requests.js';

export const updateScheduledBroadcast = operation({
  operationId: 'updateScheduledBroadcast',
  rateLimit: BROADCAST_LIMIT,
  metering: BROADCAST_WRITE_PRICE,
  async handle(req) {
    return broadcastAnswer(req, await changeBroadcast(req.ctx, userOf(req), String(req.params.id), req.body));
  },
});
