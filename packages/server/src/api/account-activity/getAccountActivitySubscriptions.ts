/** GET /2/account_activity/webhooks/:webhook_id/subscriptions/all/list: the users subscribed to the webhook. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { appOf } from '../shared.js';
import { webhookOf } from '../../domain/webhooks.js';

export const getAccountActivitySubscriptions = operation({
  operationId: 'getAccountActivitySubscriptions',
  rateLimit: {},
  metering: meter.free,
  async handle(req) {
    const appId = appOf(req);
    const w = await webhookOf(req.ctx, appId, String(req.params.webhook_id));
    const subs = await req.ctx.repos.webhooks.subscriptionsOf(w.id);
    return { body: { data: { application_id: appId, webhook_id: w.id, webhook_url: w.url, subscriptions: subs.map((s) => ({ user_id: s.userId })) } } };
  },
});
