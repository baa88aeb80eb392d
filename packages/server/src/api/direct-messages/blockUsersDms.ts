/** POST /2/users/:id/dm/block: the caller blocks Direct Messages from user `:id` (who may then not message them). */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { blockDms } from '../../domain/dms.js';
import { isRefusal } from '../../domain/write.js';
import { refused } from '../write-answers.js';
import { userOf } from '../shared.js';

export const blockUsersDms = operation({
  operationId: 'blockUsersDms',
  // Not in X's table; as blocks and mutes.
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.interactionCreate),
  async handle(req) {
    const r = await blockDms(req.ctx, userOf(req), String(req.params.id));
    return isRefusal(r) ? refused(r, 'id') : { body: { data: { blocked: true } } };
  },
});
