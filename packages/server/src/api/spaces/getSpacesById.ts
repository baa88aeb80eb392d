import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { single } from '../shared.js';
import { renderSpaces } from './space-pages.js';

/** GET /2/spaces/:id — one Space in the state the server clock puts it in. */
export const getSpacesById = operation({
  operationId: 'getSpacesById',
  rateLimit: { app: 300, user: 300 },
  metering: meter.read('space'),
  async handle(req) {
    const id = String(req.params.id);
    const found = await req.ctx.repos.spaces.byIds([id]);
    return single(await renderSpaces(req, [...found.values()], { parameter: 'id', ids: [id] }));
  },
});
