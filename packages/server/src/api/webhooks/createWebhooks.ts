/** POST /2/webhooks (FACTS §12.3): registers a URL for the calling app once it answers the CRC. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { appOf } from '../shared.js';
import { registerWebhook } from '../../domain/webhooks.js';
import { WEBHOOKS_CRUD, webhookView } from './webhook-views.js';

export const createWebhooks = operation({
  operationId: 'createWebhooks',
  rateLimit: WEBHOOKS_CRUD,
  metering: meter.free,
  async handle(req) {
    const w = await registerWebhook(req.ctx, appOf(req), req.body.url);
    return { body: { data: webhookView(w) } };
  },
});
