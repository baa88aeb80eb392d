/** PUT /2/webhooks/:webhook_id: runs the CRC again; a pass (re-)enables the webhook, a failure disables it. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { appOf } from '../shared.js';
import { revalidateWebhook } from '../../domain/webhooks.js';
import { WEBHOOKS_CRUD } from './webhook-views.js';

export const validateWebhooks = operation({
  operationId: 'validateWebhooks',
  rateLimit: WEBHOOKS_CRUD,
  metering: meter.free,
  async handle(req) {
    await revalidateWebhook(req.ctx, appOf(req), String(req.params.webhook_id));
    // Deliveries held while the webhook was invalid may go now.
    req.ctx.delivery.wake();
    return { body: { data: { valid: true } } };
  },
});
