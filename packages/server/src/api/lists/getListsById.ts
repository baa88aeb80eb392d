/** GET /2/lists/:id — list.fields and the owner_id expansion; a list the viewer may not see is X's Problem. */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { renderEnv, selection, single } from '../shared.js';
import { renderLists } from '../../pipeline/render.js';

export const getListsById = operation({
  operationId: 'getListsById',
  rateLimit: { app: 75, user: 75 },
  metering: meter.read('list'),
  async handle(req) {
    return single(await renderLists(renderEnv(req), [String(req.params.id)], selection(req), { parameter: 'id' }));
  },
});
