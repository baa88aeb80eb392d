/** DELETE /2/activity/subscriptions?ids=…: several at once; ids the app does not have are reported, not fatal. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { appOf } from '../shared.js';

export const deleteActivitySubscriptionsByIds = operation({
  operationId: 'deleteActivitySubscriptionsByIds',
  rateLimit: {},
  metering: meter.free,
  async handle(req) {
    const appId = appOf(req);
    const ids = [...new Set(req.params.ids as string[])];
    const gone = new Set(await req.ctx.repos.activitySubscriptions.delete(appId, ids));
    const body: Record<string, unknown> = { data: ids.filter((i) => gone.has(i)).map((i) => ({ subscription_id: i, deleted: true })) };
    const missing = ids.filter((i) => !gone.has(i));
    if (missing.length) body.errors = missing.map((i) => ({ subscription_id: i, reason: 'SubscriptionNotFound', message: `Could not find subscription with id: [${i}].` }));
    body.meta = { total_subscriptions: await req.ctx.repos.activitySubscriptions.countByApp(appId) };
    return { body };
  },
});
