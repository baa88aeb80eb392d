import { meter } from '../../limits/metering.js';
import { operation } from '../operation.js';
import { many, renderEnv, selection } from '../shared.js';
import { LIST, renderPosts } from '../../pipeline/render.js';
import { CURSORS, listMeta, walkIds } from '../../pipeline/pagination.js';

/** GET /2/users/reposts_of_me — others' live reposts of the authenticated user's posts, newest first. */
export const getUsersRepostsOfMe = operation({
  operationId: 'getUsersRepostsOfMe',
  rateLimit: { user: 75 },
  metering: meter.read('post'),
  async handle(req) {
    const me = req.principal!.userId!;
    const env = renderEnv(req);
    const page = await walkIds(CURSORS.repostsOfMe, req.params, Number(req.params.max_results ?? 100), {}, (w) => env.repos.social.repostsOfAuthor(me, w));
    const rendered = await renderPosts(env, page.ids, selection(req), LIST);
    return many(rendered, listMeta(rendered.data.length, page));
  },
});
