/** GET /2/dm_events/:event_id: one event, for the participants of its conversation (anyone else: Not Found). */
import { operation } from '../operation.js';
import { renderDmEvents } from '../../pipeline/render.js';
import { renderEnv, single } from '../shared.js';
import { DM_READ_LIMIT, DM_READ_PRICE, dmSelection } from './dm-requests.js';

export const getDirectMessagesEventsById = operation({
  operationId: 'getDirectMessagesEventsById',
  rateLimit: DM_READ_LIMIT,
  metering: DM_READ_PRICE,
  async handle(req) {
    return single(await renderDmEvents(renderEnv(req), [String(req.params.event_id)], dmSelection(req), { parameter: 'event_id' }));
  },
});
