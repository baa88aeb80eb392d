/** GET /2/account_activity/webhooks/:webhook_id/subscriptions/all: whether the authenticating user is subscribed. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { webhookOf } from '../../domain/webhooks.js';

export const validateAccountActivitySubscription = operation({
  operationId: 'validateAccountActivitySubscription',
  rateLimit: {},
  metering: meter.free,
  async handle(req) {
    const p = req.principal!;
    const w = await webhookOf(req.ctx, p.appId, String(req.params.webhook_id));
    return { body: { data: { subscribed: await req.ctx.repos.webhooks.isSubscribed(w.id, p.userId!) } } };
  },
});
