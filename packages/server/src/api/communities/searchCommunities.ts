import { meter } from '../../limits/metering.js';
import { CURSORS, walkOffset } from '../../pipeline/pagination.js';
import { communityFields, presentCommunity } from '../../pipeline/present-communities.js';
import type { CommunityRow } from '../../data/communities.js';
import { operation } from '../operation.js';

/**
 * GET /2/communities/search — Communities whose name holds every word of the query, the biggest first; pages by
 * `next_token` (or `pagination_token`).
 */
export const searchCommunities = operation({
  operationId: 'searchCommunities',
  rateLimit: { app: 300, user: 300 },
  metering: meter.read('community'),
  async handle(req) {
    const words = String(req.params.query).toLowerCase().split(/\s+/).filter(Boolean);
    const found = new Map<string, CommunityRow>();
    const page = await walkOffset(CURSORS.communitySearch, req.params, Number(req.params.max_results ?? 10), async (offset, n) => {
      const rows = await req.ctx.repos.communities.search(words, offset, n);
      for (const c of rows) found.set(c.id, c);
      return rows.map((c) => c.id);
    });
    const fields = communityFields(req.params);
    const body: Record<string, unknown> = {};
    if (page.ids.length) body.data = page.ids.map((id) => presentCommunity(found.get(id)!, fields));
    body.meta = page.next ? { next_token: page.next } : {};
    return { body };
  },
});
