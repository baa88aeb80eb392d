/** PUT /2/lists/:id — name, description or privacy, by the owner only (domain/lists.ts). */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { userOf } from '../shared.js';
import { updateList } from '../../domain/lists.js';
import { isRefusal } from '../../domain/write.js';
import { refused } from '../write-answers.js';

export const updateLists = operation({
  operationId: 'updateLists',
  rateLimit: { user: 300 },
  metering: meter.request(PRICES.manage),
  async handle(req) {
    const outcome = await updateList(req.ctx, userOf(req), String(req.params.id), req.body);
    if (isRefusal(outcome)) return refused(outcome, 'id');
    return { body: { data: { updated: true } } };
  },
});
