/** PUT /2/activity/subscriptions/:subscription_id: a new tag or webhook (event type and filter never change). */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { appOf } from '../shared.js';
import { updateSubscription } from '../../domain/activity.js';
import { subscriptionNotFound, subscriptionView } from './subscription-views.js';

export const updateActivitySubscription = operation({
  operationId: 'updateActivitySubscription',
  rateLimit: {},
  metering: meter.free,
  async handle(req) {
    const appId = appOf(req);
    const id = String(req.params.subscription_id);
    const row = await updateSubscription(req.ctx, appId, id, req.body);
    if (!row) return { body: { errors: [subscriptionNotFound(id)] } };
    const total = await req.ctx.repos.activitySubscriptions.countByApp(appId);
    return { body: { data: { subscription: subscriptionView(row), total_subscriptions: total } } };
  },
});
