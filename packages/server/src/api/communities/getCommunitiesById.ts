import { meter } from '../../limits/metering.js';
import { communityFields, presentCommunity } from '../../pipeline/present-communities.js';
import { notFound } from '../../pipeline/problems.js';
import { ownedObjectVerdict } from '../../pipeline/rules.js';
import { operation } from '../operation.js';

/** GET /2/communities/:id — one Community; an unknown one (or one whose creator is gone) is a Not Found Problem. */
export const getCommunitiesById = operation({
  operationId: 'getCommunitiesById',
  rateLimit: { app: 300, user: 300 },
  metering: meter.read('community'),
  async handle(req) {
    const id = String(req.params.id);
    const c = (await req.ctx.repos.communities.byIds([id])).get(id);
    const creator = c && (await req.ctx.repos.users.byIds([c.creatorId])).get(c.creatorId);
    if (ownedObjectVerdict(!!c, creator) !== 'ok') return { body: { errors: [notFound('community', 'id', id)] } };
    return { body: { data: presentCommunity(c!, communityFields(req.params)) } };
  },
});
