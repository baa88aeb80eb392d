import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { mute } from '../../domain/graph.js';
import { onTargetUser } from '../write-answers.js';

/** POST /2/users/:id/muting — idempotent. */
export const muteUser = operation({
  operationId: 'muteUser',
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.interactionCreate),
  handle: (req) => onTargetUser(req, mute, () => ({ muting: true })),
});
