/** POST /2/activity/subscriptions: follow one event type for a user (or keyword), on streams and optionally a webhook. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { createSubscription } from '../../domain/activity.js';
import { subscriptionView } from './subscription-views.js';

export const createActivitySubscription = operation({
  operationId: 'createActivitySubscription',
  rateLimit: {},
  metering: meter.free,
  async handle(req) {
    const row = await createSubscription(req.ctx, req.principal!, req.body);
    const total = await req.ctx.repos.activitySubscriptions.countByApp(row.appId);
    return { body: { data: { subscription: subscriptionView(row) }, meta: { total_subscriptions: total } } };
  },
});
