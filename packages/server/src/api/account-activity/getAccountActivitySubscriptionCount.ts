/**
 * GET /2/account_activity/subscriptions/count: the app's active subscriptions and its limit, as strings (X's
 * shape). DM-only subscriptions no longer exist at X: their count is always "0".
 */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { appOf } from '../shared.js';

export const getAccountActivitySubscriptionCount = operation({
  operationId: 'getAccountActivitySubscriptionCount',
  rateLimit: {},
  metering: meter.free,
  async handle(req) {
    const appId = appOf(req);
    const app = await req.ctx.repos.apps.byId(appId);
    const count = await req.ctx.repos.webhooks.subscriptionCount(appId);
    return {
      body: {
        data: {
          account_name: app?.name ?? appId,
          provisioned_count: String(req.ctx.config.webhooks.aaaSubscriptions),
          subscriptions_count_all: String(count),
          subscriptions_count_direct_messages: '0',
        },
      },
    };
  },
});
