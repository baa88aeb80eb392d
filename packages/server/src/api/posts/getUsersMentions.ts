import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { idWindow, many, renderEnv, selection, subjectUser } from '../shared.js';
import { LIST, renderPosts } from '../../pipeline/render.js';
import { CURSORS, postListMeta, walkIds } from '../../pipeline/pagination.js';

/** X serves only the 800 most recent mentions (FACTS §3.4); older ones are out of reach of any window. */
export const MENTIONS_CAP = 800;

export const getUsersMentions = operation({
  operationId: 'getUsersMentions',
  rateLimit: { app: 450, user: 300 },
  metering: meter.read('post', { owned: true }),
  async handle(req) {
    const id = String(req.params.id);
    const refused = await subjectUser(req, id);
    if (refused) return refused;
    const limit = Number(req.params.max_results ?? 10);
    const env = renderEnv(req);
    const window = idWindow(req.params);
    const floor = await env.repos.timelines.mentionFloor(id, MENTIONS_CAP);
    if (floor) {
      const capAfter = (BigInt(floor) - 1n).toString();
      if (!window.after || BigInt(window.after) < BigInt(capAfter)) window.after = capAfter;
    }
    const page = await walkIds(CURSORS.mentions, req.params, limit, window, (w) => env.repos.timelines.mentionIds(id, w));
    // Mentions by authors the viewer may not see (protected, blocked) are dropped from the page, as on X.
    const rendered = await renderPosts(env, page.ids, selection(req), LIST);
    return many(rendered, postListMeta(rendered.data, page));
  },
});
