/**
 * The lists hanging off a user (owned, followed, memberships): the user judged as the subject, then a page of the
 * lists the viewer may see. The walk applies rules' `listScope`, so pages and their tokens only ever stand on lists
 * the viewer may see; each list is then judged like any other (owner suspended, blocked, protected).
 */
import type { OperationRequest, OperationResult } from '../operation.js';
import type { ListScope } from '../../data/lists.js';
import type { Repos } from '../../data/index.js';
import { many, renderEnv, selection, subjectUser } from '../shared.js';
import { LIST, renderLists } from '../../pipeline/render.js';
import { listMeta, type Page } from '../../pipeline/pagination.js';
import { listScope } from '../../pipeline/rules.js';

export async function userLists(req: OperationRequest, walk: (repos: Repos, userId: string, scope: ListScope) => Promise<Page>): Promise<OperationResult> {
  const id = String(req.params.id);
  const refused = await subjectUser(req, id);
  if (refused) return refused;
  const env = renderEnv(req);
  const page = await walk(env.repos, id, listScope(env.viewer));
  const rendered = await renderLists(env, page.ids, selection(req), LIST);
  return many(rendered, listMeta(rendered.data.length, page));
}

/** `max_results` of the user's list pages (1–100, default 100). */
export const pageSize = (req: OperationRequest): number => Number(req.params.max_results ?? 100);
