import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { many } from '../shared.js';
import { renderSpaces } from './space-pages.js';

/** GET /2/spaces?ids= — Spaces in the order asked; each one that is not there is a Not Found Problem. */
export const getSpacesByIds = operation({
  operationId: 'getSpacesByIds',
  rateLimit: { app: 300, user: 300 },
  metering: meter.read('space'),
  async handle(req) {
    const ids = [...new Set(req.params.ids as string[])];
    const found = await req.ctx.repos.spaces.byIds(ids);
    const ordered = ids.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
    return many(await renderSpaces(req, ordered, { parameter: 'ids', ids }));
  },
});
