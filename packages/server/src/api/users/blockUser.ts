/**
 * POST /2/users/:id/blocking: X's classic v2 blocking write, which spec 2.167 no longer lists (an extension of the
 * contract). Blocking removes follows and follow requests both ways, with their counters.
 */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { block } from '../../domain/graph.js';
import { onTargetUser } from '../write-answers.js';

export const blockUser = operation({
  operationId: 'blockUser',
  // Not in X's table; as mutes.
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.interactionCreate),
  handle: (req) => onTargetUser(req, block, () => ({ blocking: true })),
});
