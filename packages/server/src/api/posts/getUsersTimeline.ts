import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { idWindow, many, renderEnv, requireSelf, selection } from '../shared.js';
import { LIST, renderPosts } from '../../pipeline/render.js';
import { CURSORS, postListMeta, walkRanked } from '../../pipeline/pagination.js';
import { communityScope, homeTimelineAuthors } from '../../pipeline/rules.js';
import { snowflakeAt, SNOWFLAKE_EPOCH_MS } from '../../util/snowflake.js';

/** The home timeline reaches back 7 days and at most 3,200 entries (FACTS §3.4). */
export const HOME_CAP = 3200;
export const HOME_DAYS = 7;

/**
 * Home: the user's own posts and those of the accounts they follow, minus muted and blocked accounts, newest
 * first. The 3,200-entry cap counts the entries of one walk: each token carries how many entries lie above its
 * position, so no request has to find the 3,200th entry (a walk that starts at until_id/end_time counts from there).
 */
export const getUsersTimeline = operation({
  operationId: 'getUsersTimeline',
  rateLimit: { user: 180 },
  metering: meter.read('post', { owned: true }),
  async handle(req) {
    const me = requireSelf(req, String(req.params.id));
    const exclude = new Set((req.params.exclude as string[] | undefined) ?? []);
    const filters = { excludeReplies: exclude.has('replies'), excludeRetweets: exclude.has('retweets') };
    const env = renderEnv(req);
    const window = idWindow(req.params);
    const sevenDays = (BigInt(snowflakeAt(Math.max(env.now - HOME_DAYS * 86_400_000, SNOWFLAKE_EPOCH_MS))) - 1n).toString();
    if (!window.after || BigInt(window.after) < BigInt(sevenDays)) window.after = sevenDays;

    const page = await walkRanked(CURSORS.home, req.params, Number(req.params.max_results ?? 100), HOME_CAP, window, async (w) => {
      if (w.before && BigInt(w.after!) >= BigInt(w.before)) return [];
      const graph = await env.repos.timelines.viewerGraph(me);
      const authors = homeTimelineAuthors(me, graph.following, graph);
      return env.repos.timelines.homeIds({ authors, communities: communityScope(env.viewer), ...w, ...filters });
    });
    const rendered = await renderPosts(env, page.ids, selection(req), LIST);
    return many(rendered, postListMeta(rendered.data, page));
  },
});
