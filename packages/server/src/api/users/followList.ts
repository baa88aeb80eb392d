/** POST /2/users/:id/followed_lists — the authenticated user follows a list they may see and do not own. */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { requireSelf } from '../shared.js';
import { followList as follow } from '../../domain/lists.js';
import { isRefusal } from '../../domain/write.js';
import { refused } from '../write-answers.js';

export const followList = operation({
  operationId: 'followList',
  rateLimit: { user: 50 },
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    const outcome = await follow(req.ctx, me, req.body.list_id);
    if (isRefusal(outcome)) return refused(outcome, 'list_id');
    return { body: { data: { following: true } } };
  },
});
