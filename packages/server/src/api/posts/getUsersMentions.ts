import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { aboutUser, idWindow, timelinePage } from '../shared.js';
import { CURSORS, walkIds } from '../../pipeline/pagination.js';

/** X serves only the 800 most recent mentions (FACTS §3.4); older ones are out of reach of any window. */
export const MENTIONS_CAP = 800;

export const getUsersMentions = operation({
  operationId: 'getUsersMentions',
  rateLimit: { app: 450, user: 300 },
  metering: meter.read('post', { owned: true }),
  handle: (req) =>
    aboutUser(req, async (id, env) => {
      const window = idWindow(req.params);
      const floor = await env.repos.timelines.mentionFloor(id, MENTIONS_CAP);
      if (floor) {
        const capAfter = (BigInt(floor) - 1n).toString();
        if (!window.after || BigInt(window.after) < BigInt(capAfter)) window.after = capAfter;
      }
      const page = await walkIds(CURSORS.mentions, req.params, Number(req.params.max_results ?? 10), window, (w) => env.repos.timelines.mentionIds(id, w));
      // Mentions by authors the viewer may not see (protected, blocked) are dropped from the page, as on X.
      return timelinePage(req, env, page);
    }),
});
