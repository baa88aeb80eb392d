/** GET /2/dm_events: the caller's DM events of every conversation they take part in, newest first. */
import { operation } from '../operation.js';
import { CURSORS } from '../../pipeline/pagination.js';
import { DM_READ_LIMIT, DM_READ_PRICE, eventList } from './dm-requests.js';

export const getDirectMessagesEvents = operation({
  operationId: 'getDirectMessagesEvents',
  rateLimit: DM_READ_LIMIT,
  metering: DM_READ_PRICE,
  handle: (req) => eventList(req, CURSORS.dmEvents),
});
