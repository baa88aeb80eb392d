/** GET /2/webhooks: the calling app's webhooks with whether each passed its last CRC. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { appOf } from '../shared.js';
import { WEBHOOKS_CRUD, webhookView } from './webhook-views.js';

export const getWebhooks = operation({
  operationId: 'getWebhooks',
  rateLimit: WEBHOOKS_CRUD,
  metering: meter.free,
  async handle(req) {
    const hooks = await req.ctx.repos.webhooks.byApp(appOf(req));
    // X answers an empty list as `data: []` (not an absent key) with a zero count.
    return { body: { data: hooks.map(webhookView), meta: { result_count: hooks.length } } };
  },
});
