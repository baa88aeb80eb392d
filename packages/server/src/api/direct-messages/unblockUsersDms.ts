/** POST /2/users/:id/dm/unblock: lifts the caller's block of Direct Messages from user `:id`. */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { unblockDms } from '../../domain/dms.js';
import { isRefusal } from '../../domain/write.js';
import { refused } from '../write-answers.js';
import { userOf } from '../shared.js';

export const unblockUsersDms = operation({
  operationId: 'unblockUsersDms',
  // Not in X's table; as blocks and mutes.
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.interactionDelete),
  async handle(req) {
    const r = await unblockDms(req.ctx, userOf(req), String(req.params.id));
    return isRefusal(r) ? refused(r, 'id') : { body: { data: { blocked: false } } };
  },
});
