/** DELETE /2/activity/subscriptions/:subscription_id. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { appOf } from '../shared.js';
import { subscriptionNotFound } from './subscription-views.js';

export const deleteActivitySubscription = operation({
  operationId: 'deleteActivitySubscription',
  rateLimit: {},
  metering: meter.free,
  async handle(req) {
    const appId = appOf(req);
    const id = String(req.params.subscription_id);
    const [gone] = await req.ctx.repos.activitySubscriptions.delete(appId, [id]);
    if (!gone) return { body: { errors: [subscriptionNotFound(id)] } };
    return { body: { data: { deleted: true }, meta: { total_subscriptions: await req.ctx.repos.activitySubscriptions.countByApp(appId) } } };
  },
});
