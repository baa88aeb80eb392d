/**
 * GET /2/lists/:id/tweets — posts by the list's members, newest first, at most X's latest 800 for a list (X's
 * documentation; FACTS is silent). The authors are the members the viewer may see (rules' `listTimelineAuthors`:
 * blocks either way and protected accounts not followed leave them out), so pages come full.
 */
import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { many, renderEnv, selection, subjectList } from '../shared.js';
import { LIST, listAuthors, renderPosts } from '../../pipeline/render.js';
import { CURSORS, postListMeta, walkRanked } from '../../pipeline/pagination.js';
import { communityScope } from '../../pipeline/rules.js';

export const LIST_POSTS_CAP = 800;

export const getListsPosts = operation({
  operationId: 'getListsPosts',
  rateLimit: { app: 900, user: 900 },
  metering: meter.read('post'),
  async handle(req) {
    const id = String(req.params.id);
    const refused = await subjectList(req, id);
    if (refused) return refused;
    const env = renderEnv(req);
    const page = await walkRanked(CURSORS.listPosts, req.params, Number(req.params.max_results ?? 100), LIST_POSTS_CAP, {}, async (w) => {
      const authors = await listAuthors(env, await env.repos.lists.memberIds(id));
      return env.repos.timelines.homeIds({ authors, communities: communityScope(env.viewer), ...w });
    });
    const rendered = await renderPosts(env, page.ids, selection(req), LIST);
    return many(rendered, postListMeta(rendered.data, page));
  },
});
