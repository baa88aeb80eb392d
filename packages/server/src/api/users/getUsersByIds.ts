import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { many, renderEnv, selection } from '../shared.js';
import { renderUsers } from '../../pipeline/render.js';

export const getUsersByIds = operation({
  operationId: 'getUsersByIds',
  rateLimit: { app: 300, user: 900 },
  metering: meter.read('user'),
  async handle(req) {
    return many(await renderUsers(renderEnv(req), { ids: req.params.ids as string[] }, selection(req), { parameter: 'ids' }));
  },
});
