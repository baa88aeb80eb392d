/** POST /2/lists — creates a list owned by the authenticated user; X answers `{id, name}` with 201. */
import { meter, PRICES } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { userOf } from '../shared.js';
import { createList } from '../../domain/lists.js';

export const createLists = operation({
  operationId: 'createLists',
  rateLimit: { user: 300 },
  metering: meter.request(PRICES.listCreate),
  async handle(req) {
    const list = await createList(req.ctx, userOf(req), req.body);
    return { status: 201, body: { data: { id: list.id, name: list.name } } };
  },
});
