/** DELETE /2/webhooks/:webhook_id: the webhook with its subscriptions and stream links; pending deliveries are cancelled. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { appOf } from '../shared.js';
import { deleteWebhook } from '../../domain/webhooks.js';
import { WEBHOOKS_CRUD } from './webhook-views.js';

export const deleteWebhooks = operation({
  operationId: 'deleteWebhooks',
  rateLimit: WEBHOOKS_CRUD,
  metering: meter.free,
  async handle(req) {
    await deleteWebhook(req.ctx, appOf(req), String(req.params.webhook_id));
    return { body: { data: { deleted: true } } };
  },
});
