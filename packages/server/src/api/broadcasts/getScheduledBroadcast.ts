/** GET /2/broadcasts/scheduled/:id: one of the caller's scheduled broadcasts; anyone else's is Not Found. */
import { operation } from '../operation.js';
import { renderScheduledBroadcasts } from '../../pipeline/render.js';
import { renderEnv, single } from '../shared.js';
import { BROADCAST_LIMIT, BROADCAST_READ_PRICE } from './broadcast-requests.js';

export const getScheduledBroadcast = operation({
  operationId: 'getScheduledBroadcast',
  rateLimit: BROADCAST_LIMIT,
  metering: BROADCAST_READ_PRICE,
  async handle(req) {
    return single(await renderScheduledBroadcasts(renderEnv(req), [String(req.params.id)], { parameter: 'id' }));
  },
});
