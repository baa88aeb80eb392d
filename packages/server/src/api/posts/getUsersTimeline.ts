import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { idWindow, many, postMeta, renderEnv, requireSelf, selection, str, type IdPage } from '../shared.js';
import { renderPosts } from '../../pipeline/render.js';
import { snowflakeAt, SNOWFLAKE_EPOCH_MS } from '../../util/snowflake.js';
import { decodeCursor, encodeCursor } from '../../util/cursor.js';
import { InvalidRequest } from '../../errors.js';

/** The home timeline reaches back 7 days and at most 3,200 entries (FACTS §3.4). */
export const HOME_CAP = 3200;
export const HOME_DAYS = 7;
const KIND = 'h';

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
    const limit = Number(req.params.max_results ?? 100);
    const env = renderEnv(req);
    const token = str(req.params.pagination_token);
    let { after, before } = idWindow(req.params);
    const sevenDays = (BigInt(snowflakeAt(Math.max(env.now - HOME_DAYS * 86_400_000, SNOWFLAKE_EPOCH_MS))) - 1n).toString();
    if (!after || BigInt(after) < BigInt(sevenDays)) after = sevenDays;

    // `above`: entries of this walk newer than the page about to be read.
    let above = 0;
    let ascending = false;
    if (token) {
      const c = decodeCursor(token, KIND);
      const rank = Number(c.values[1]);
      if (c.values.length !== 2 || !Number.isSafeInteger(rank) || rank < 0) {
        throw InvalidRequest.one('pagination_token', [token], `The \`pagination_token\` query parameter value [${token}] is not valid`);
      }
      if (c.direction === 'next') {
        if (!before || BigInt(c.values[0]!) < BigInt(before)) before = c.values[0];
        above = rank;
      } else {
        if (BigInt(c.values[0]!) > BigInt(after)) after = c.values[0];
        ascending = true;
        above = rank;
      }
    }

    const page: IdPage = { ids: [] };
    const room = ascending ? limit : Math.min(limit, HOME_CAP - above);
    if (room > 0 && (!before || BigInt(after) < BigInt(before))) {
      const authors = await env.repos.timelines.homeAuthors(me);
      const got = await env.repos.timelines.homeIds({ authors, after, before, ascending, limit: room + 1, ...filters });
      const more = got.length > room;
      let ids = got.slice(0, room);
      if (ascending) ids = ids.reverse();
      page.ids = ids;
      if (ids.length) {
        const top = ascending ? Math.max(0, above - ids.length) : above;
        const bottom = top + ids.length;
        const hasOlder = ascending || (more && bottom < HOME_CAP);
        const hasNewer = ascending ? more : !!token;
        if (hasOlder) page.next = encodeCursor(KIND, 'next', [ids[ids.length - 1]!, bottom]);
        if (hasNewer) page.prev = encodeCursor(KIND, 'prev', [ids[0]!, top]);
      }
    }
    const rendered = await renderPosts(env, page.ids, selection(req), { parameter: null });
    return many(rendered, postMeta(rendered, page));
  },
});
