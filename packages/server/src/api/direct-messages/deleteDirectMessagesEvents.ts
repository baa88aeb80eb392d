/**
 * DELETE /2/dm_events/:event_id: the sender deletes their own message (gone for every participant). An event the
 * caller cannot see answers deleted:false, like a post that is not there.
 */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { deleteMessage } from '../../domain/dms.js';
import { userOf } from '../shared.js';

export const deleteDirectMessagesEvents = operation({
  operationId: 'deleteDirectMessagesEvents',
  // FACTS §4.2.
  rateLimit: { user: 300, user24h: 1500, app24h: 4000 },
  metering: meter.request(PRICES.interactionDelete),
  async handle(req) {
    return { body: { data: { deleted: await deleteMessage(req.ctx, userOf(req), String(req.params.event_id)) } } };
  },
});
