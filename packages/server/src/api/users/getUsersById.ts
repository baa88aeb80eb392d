import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { renderEnv, selection, single } from '../shared.js';
import { renderUsers } from '../../pipeline/render.js';

export const getUsersById = operation({
  operationId: 'getUsersById',
  rateLimit: { app: 300, user: 900 },
  metering: meter.read('user'),
  async handle(req) {
    return single(await renderUsers(renderEnv(req), { ids: [String(req.params.id)] }, selection(req), { parameter: 'id' }));
  },
});
