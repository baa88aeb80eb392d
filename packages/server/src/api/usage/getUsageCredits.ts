/** `GET /2/usage/credits` (observed, not in the spec; FACTS §4.4): balances in USD as JSON numbers; Roost has no free grants. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';

export const getUsageCredits = operation({
  operationId: 'getUsageCredits',
  rateLimit: {},
  metering: meter.free,
  async handle(req) {
    const accountId = await req.ctx.metering.accountOf(req.principal!.appId);
    const balance = Math.round((await req.ctx.metering.balance(accountId)) * 1e6) / 1e6;
    return { body: { data: { free_balance: 0, free_grants: [], prepaid_balance: balance, total_balance: balance } } };
  },
});
