/**
 * Pages of Spaces: the Spaces a handler found (in order), judged by their creators (rules), presented with the
 * clock's state, and the users and topics their expansions ask for in `includes` (users through the same
 * pipeline as any user page, so suspended accounts never appear).
 */
import type { SpaceRow } from '../../data/spaces.js';
import type { OperationRequest, OperationResult } from '../operation.js';
import { LIST, renderUsers } from '../../pipeline/render.js';
import { ownedObjectVerdict } from '../../pipeline/rules.js';
import { notFound, type Problem } from '../../pipeline/problems.js';
import { presentSpace, presentTopic, type SpaceSelection } from '../../pipeline/present-spaces.js';
import type { Rendered } from '../../pipeline/present-page.js';
import { renderEnv, selection } from '../shared.js';

const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);

export function spaceSelection(params: Record<string, unknown>): SpaceSelection {
  return { fields: new Set(list(params['space.fields'])), expansions: new Set(list(params.expansions)), topicFields: new Set(list(params['topic.fields'])) };
}

/**
 * `wanted`: the keys asked for, in order (for Problems when `parameter` names them); `found`: the Spaces by id.
 */
export async function renderSpaces(req: OperationRequest, spaces: readonly SpaceRow[], missing: { parameter: string; ids: readonly string[] } | null): Promise<Rendered> {
  const env = renderEnv(req);
  const sel = spaceSelection(req.params);
  const creators = await env.repos.users.byIds([...new Set(spaces.map((s) => s.creatorId))]);
  const shown = spaces.filter((s) => ownedObjectVerdict(true, creators.get(s.creatorId)) === 'ok');
  const errors: Problem[] = [];
  if (missing) {
    const have = new Set(shown.map((s) => s.id));
    for (const id of missing.ids) if (!have.has(id)) errors.push(notFound('space', missing.parameter, id));
  }
  const data = shown.map((s) => presentSpace(s, sel, env.now));
  const includes: Record<string, Record<string, unknown>[]> = {};

  const userIds: string[] = [];
  for (const s of shown) {
    if (sel.expansions.has('creator_id')) userIds.push(s.creatorId);
    if (sel.expansions.has('host_ids')) userIds.push(...s.hostIds);
    if (sel.expansions.has('speaker_ids') && data.find((d) => d.id === s.id)!.speaker_ids) userIds.push(...s.speakerIds);
    if (sel.expansions.has('invited_user_ids')) userIds.push(...s.invitedUserIds);
  }
  if (userIds.length) {
    const users = await renderUsers(env, { ids: [...new Set(userIds)] }, selection(req), LIST);
    if (users.data.length) includes.users = users.data;
  }
  if (sel.expansions.has('topic_ids')) {
    const topicIds = [...new Set(shown.flatMap((s) => s.topicIds))];
    const topics = await env.repos.spaces.topicsByIds(topicIds);
    const views = topicIds.flatMap((id) => (topics.has(id) ? [presentTopic(topics.get(id)!, sel.topicFields)] : []));
    if (views.length) includes.topics = views;
  }
  const out: Rendered = { data };
  if (Object.keys(includes).length) out.includes = includes;
  if (errors.length) out.errors = errors;
  return out;
}

/**
 * The Space a /2/spaces/:id/… list hangs off, or the answer replacing the list: the Not Found Problem for a Space
 * that is unknown or whose creator is gone.
 */
export async function subjectSpace(req: OperationRequest, id: string): Promise<{ space: SpaceRow } | { refused: OperationResult }> {
  const space = (await req.ctx.repos.spaces.byIds([id])).get(id);
  const creator = space && (await req.ctx.repos.users.byIds([space.creatorId])).get(space.creatorId);
  if (ownedObjectVerdict(!!space, creator) !== 'ok') return { refused: { body: { errors: [notFound('space', 'id', id)] } } };
  return { space: space! };
}
