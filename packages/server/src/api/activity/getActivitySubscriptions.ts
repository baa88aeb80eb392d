/** GET /2/activity/subscriptions: the app's subscriptions in creation order, paged by `pagination_token`. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { appOf } from '../shared.js';
import { CURSORS, nextToken, readCursor } from '../../pipeline/pagination.js';
import { subscriptionView } from './subscription-views.js';

export const getActivitySubscriptions = operation({
  operationId: 'getActivitySubscriptions',
  rateLimit: {},
  metering: meter.free,
  async handle(req) {
    const appId = appOf(req);
    const limit = (req.params.max_results as number | undefined) ?? 100;
    const after = readCursor(CURSORS.activitySubscriptions, req.params)?.key;
    const rows = await req.ctx.repos.activitySubscriptions.byApp(appId, { afterId: after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const meta: Record<string, unknown> = { result_count: page.length, total_subscriptions: await req.ctx.repos.activitySubscriptions.countByApp(appId) };
    if (rows.length > limit) meta.next_token = nextToken(CURSORS.activitySubscriptions, page[page.length - 1]!.id);
    return { body: { data: page.map(subscriptionView), meta } };
  },
});
