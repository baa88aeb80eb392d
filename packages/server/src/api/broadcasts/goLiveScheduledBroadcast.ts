/** POST /2/broadcasts/scheduled/:id/live: a scheduled broadcast of the caller's goes live now (server clock). */
import { operation } from '../operation.js';
import { goLive } from '../../domain/broadcasts.js';
import { userOf } from '../shared.js';
import { BROADCAST_LIMIT, BROADCAST_WRITE_PRICE, broadcastAnswer } from './broadcast-requests.js';

export const goLiveScheduledBroadcast = operation({
  operationId: 'goLiveScheduledBroadcast',
  rateLimit: BROADCAST_LIMIT,
  metering: BROADCAST_WRITE_PRICE,
  async handle(req) {
    return broadcastAnswer(req, await goLive(req.ctx, userOf(req), String(req.params.id)));
  },
});
