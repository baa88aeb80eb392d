/** DELETE /2/account_activity/webhooks/:webhook_id/subscriptions/:user_id/all: the user's events stop going to the webhook. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { appOf } from '../shared.js';
import { unsubscribeUser } from '../../domain/webhooks.js';

export const deleteAccountActivitySubscription = operation({
  operationId: 'deleteAccountActivitySubscription',
  rateLimit: {},
  metering: meter.free,
  async handle(req) {
    await unsubscribeUser(req.ctx, appOf(req), String(req.params.webhook_id), String(req.params.user_id));
    return { body: { data: { subscribed: false } } };
  },
});
