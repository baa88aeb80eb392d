/** DELETE /2/lists/:id — by the owner only; members, followers and pins go with the list (domain/lists.ts). */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { userOf } from '../shared.js';
import { deleteList } from '../../domain/lists.js';
import { isRefusal } from '../../domain/write.js';
import { refused } from '../write-answers.js';

export const deleteLists = operation({
  operationId: 'deleteLists',
  rateLimit: { user: 300 },
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const outcome = await deleteList(req.ctx, userOf(req), String(req.params.id));
    if (isRefusal(outcome)) return refused(outcome, 'id');
    return { body: { data: { deleted: true } } };
  },
});
