import { meter } from '../../limits/metering.js';
import { CURSORS, listMeta, walkEdges } from '../../pipeline/pagination.js';
import { LIST, renderUsers } from '../../pipeline/render.js';
import { operation } from '../operation.js';
import { many, renderEnv, selection, subjectUser } from '../shared.js';

/**
 * GET /2/users/:id/affiliates — the accounts affiliated with a verified organisation, newest affiliation first;
 * an account that is no organisation has none.
 */
export const getUsersAffiliates = operation({
  operationId: 'getUsersAffiliates',
  rateLimit: { app: 300, user: 300 },
  metering: meter.read('user'),
  async handle(req) {
    const id = String(req.params.id);
    const refused = await subjectUser(req, id);
    if (refused) return refused;
    const env = renderEnv(req);
    const page = await walkEdges(CURSORS.affiliates, req.params, Number(req.params.max_results ?? 100), (q) => env.repos.affiliations.affiliates(id, q));
    const rendered = await renderUsers(env, { ids: page.ids }, selection(req), LIST);
    return many(rendered, listMeta(rendered.data.length, page));
  },
});
