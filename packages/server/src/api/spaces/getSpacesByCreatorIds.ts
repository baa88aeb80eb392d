import { meter } from '../../limits/metering.js';
import { spaceState } from '../../pipeline/present-spaces.js';
import { operation } from '../operation.js';
import { many } from '../shared.js';
import { renderSpaces } from './space-pages.js';

/** GET /2/spaces/by/creator_ids — the live and scheduled Spaces of these accounts (ended ones are gone from it). */
export const getSpacesByCreatorIds = operation({
  operationId: 'getSpacesByCreatorIds',
  rateLimit: { app: 300, user: 300 },
  metering: meter.read('space'),
  async handle(req) {
    const now = req.ctx.clock.now();
    const spaces = (await req.ctx.repos.spaces.byCreators(req.params.user_ids as string[])).filter((s) => spaceState(s, now) !== 'ended');
    const rendered = await renderSpaces(req, spaces, null);
    return many(rendered, { result_count: rendered.data.length });
  },
});
