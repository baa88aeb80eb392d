/** DELETE /2/tweets/search/webhooks/:webhook_id: the webhook no longer receives the app's filtered-stream matches. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { appOf } from '../shared.js';
import { unlinkStream } from '../../domain/webhooks.js';
import { WEBHOOKS_CRUD } from './webhook-views.js';

export const deleteWebhooksStreamLink = operation({
  operationId: 'deleteWebhooksStreamLink',
  rateLimit: WEBHOOKS_CRUD,
  metering: meter.free,
  async handle(req) {
    await unlinkStream(req.ctx, appOf(req), String(req.params.webhook_id));
    return { body: { data: { deleted: true } } };
  },
});
