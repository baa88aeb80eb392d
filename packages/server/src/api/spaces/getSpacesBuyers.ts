import { meter } from '../../limits/metering.js';
import { CURSORS, listMeta, walkEdges } from '../../pipeline/pagination.js';
import { LIST, renderUsers } from '../../pipeline/render.js';
import { Forbidden } from '../../errors.js';
import { operation } from '../operation.js';
import { subjectSpace } from './space-pages.js';
import { many, renderEnv, selection } from '../shared.js';

/**
 * GET /2/spaces/:id/buyers — who bought a ticket, newest purchase first. Only the Space's creator may ask (X: the
 * request must carry the creator's user token); a Space without tickets has no buyers.
 */
export const getSpacesBuyers = operation({
  operationId: 'getSpacesBuyers',
  rateLimit: { app: 300, user: 300 },
  metering: meter.read('user'),
  async handle(req) {
    const id = String(req.params.id);
    const subject = await subjectSpace(req, id);
    if ('refused' in subject) return subject.refused;
    if (req.principal?.userId !== subject.space.creatorId) throw new Forbidden('You are not permitted to see the buyers of a Space you did not create.');
    const env = renderEnv(req);
    const page = await walkEdges(CURSORS.spaceBuyers, req.params, Number(req.params.max_results ?? 100), (q) => env.repos.spaces.buyers(id, q));
    const rendered = await renderUsers(env, { ids: page.ids }, selection(req), LIST);
    return many(rendered, listMeta(rendered.data.length, page));
  },
});
