import { meter } from '../../limits/metering.js';
import { productStatuses, requireMode } from '../../domain/notes.js';
import { CURSORS, postListMeta, walkIds } from '../../pipeline/pagination.js';
import { LIST, renderPosts } from '../../pipeline/render.js';
import { highPerformingWriter, inNotesFeed, parsePostSelection } from '../../pipeline/rules.js';
import { Forbidden, InvalidRequest } from '../../errors.js';
import { operation } from '../operation.js';
import { many, renderEnv, selection, str, userOf } from '../shared.js';

/**
 * GET /2/notes/search/posts_eligible_for_notes — the posts people asked a note for, as the feed `post_selection`
 * names (size: small by default; language: English by default, `all`, or one language), newest first.
 */
export const searchEligiblePosts = operation({
  operationId: 'searchEligiblePosts',
  rateLimit: { user: 90 },
  metering: meter.read('post'),
  async handle(req) {
    const me = userOf(req);
    const testMode = req.params.test_mode === true;
    await requireMode(req.ctx.repos, me, testMode);
    const raw = str(req.params.post_selection);
    const feed = parsePostSelection(raw);
    if (!feed) throw InvalidRequest.one('post_selection', [raw ?? ''], `The \`post_selection\` query parameter value [${raw}] is not valid.`);
    if (feed.size !== 'small') {
      if (testMode) throw InvalidRequest.one('post_selection', [raw ?? ''], `The feed_size:${feed.size} feed is not available in test mode.`);
      if (!highPerformingWriter(await productStatuses(req.ctx.repos, me))) throw new Forbidden(`User: [${me}] must be a high-performing AI Note Writer to read the ${feed.size} feed.`);
    }
    const ids = (await req.ctx.repos.notes.requestedPosts()).filter((p) => inNotesFeed(feed.size, p) && (feed.lang === 'all' || p.lang === feed.lang)).map((p) => p.postId);
    const page = await walkIds(CURSORS.notesEligible, req.params, Number(req.params.max_results ?? 10), {}, async (q) => {
      const within = ids.filter((id) => (q.after === undefined || BigInt(id) > BigInt(q.after)) && (q.before === undefined || BigInt(id) < BigInt(q.before)));
      return (q.ascending ? within.reverse() : within).slice(0, q.limit);
    });
    const env = renderEnv(req);
    const rendered = await renderPosts(env, page.ids, selection(req), LIST);
    return many(rendered, postListMeta(rendered.data, page));
  },
});
