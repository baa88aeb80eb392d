/** POST /2/lists/:id/members — the owner adds a user (idempotent); X's limits and refusals are domain/lists.ts's. */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { userOf } from '../shared.js';
import { addMember } from '../../domain/lists.js';
import { isRefusal } from '../../domain/write.js';
import { refused } from '../write-answers.js';

export const addListsMember = operation({
  operationId: 'addListsMember',
  rateLimit: { user: 300 },
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const outcome = await addMember(req.ctx, userOf(req), String(req.params.id), req.body.user_id);
    // A refused list is named by the path's `id`, a refused user by the body's `user_id`.
    if (isRefusal(outcome)) return refused(outcome, outcome.refused.startsWith('list-') ? 'id' : 'user_id');
    return { body: { data: { is_member: true } } };
  },
});
