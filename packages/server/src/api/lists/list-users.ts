/** The users hanging off a list (members, followers): the list judged as the subject, then a page of users. */
import type { OperationRequest, OperationResult } from '../operation.js';
import type { Edge, EdgePageQuery } from '../../data/edges.js';
import type { Repos } from '../../data/index.js';
import { many, renderEnv, selection, subjectList } from '../shared.js';
import { LIST, renderUsers } from '../../pipeline/render.js';
import { listMeta, walkEdges, type CursorKind } from '../../pipeline/pagination.js';

export async function listUsers(
  req: OperationRequest,
  kind: CursorKind<'edge'>,
  fetch: (repos: Repos, listId: string, q: EdgePageQuery) => Promise<Edge[]>,
): Promise<OperationResult> {
  const id = String(req.params.id);
  const refused = await subjectList(req, id);
  if (refused) return refused;
  const env = renderEnv(req);
  const page = await walkEdges(kind, req.params, Number(req.params.max_results ?? 100), (q) => fetch(env.repos, id, q));
  const rendered = await renderUsers(env, { ids: page.ids }, selection(req), LIST);
  return many(rendered, listMeta(rendered.data.length, page));
}
