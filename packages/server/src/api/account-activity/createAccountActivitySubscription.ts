/** POST /2/account_activity/webhooks/:webhook_id/subscriptions/all: the authenticating user's events go to the webhook. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { subscribeUser } from '../../domain/webhooks.js';

export const createAccountActivitySubscription = operation({
  operationId: 'createAccountActivitySubscription',
  rateLimit: {},
  metering: meter.free,
  // X's clients send no body, or `{}`.
  optionalBody: true,
  async handle(req) {
    // User context only (the contract's security): the subscribed user is the one who authenticated.
    const p = req.principal!;
    await subscribeUser(req.ctx, p.appId, String(req.params.webhook_id), p.userId!);
    return { body: { data: { subscribed: true } } };
  },
});
