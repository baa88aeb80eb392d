/** DELETE /2/lists/:id/members/:user_id — the owner removes a member (idempotent). */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { userOf } from '../shared.js';
import { removeMember } from '../../domain/lists.js';
import { isRefusal } from '../../domain/write.js';
import { refused } from '../write-answers.js';

export const removeListsMemberByUserId = operation({
  operationId: 'removeListsMemberByUserId',
  rateLimit: { user: 300 },
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const outcome = await removeMember(req.ctx, userOf(req), String(req.params.id), String(req.params.user_id));
    if (isRefusal(outcome)) return refused(outcome, 'id');
    return { body: { data: { is_member: false } } };
  },
});
