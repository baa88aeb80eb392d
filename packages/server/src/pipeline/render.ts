/**
 * The read pipeline after the skeleton (the ids a handler got from a data module, see pagination.ts):
 * hydrate (batch loads into maps) → rules (visibility verdicts) → present (pure views). Every read surface —
 * lookups, lists, timelines, search, streams — renders through here; subjects and write targets are judged
 * by the same rules through `judgePost` / `judgeUser`.
 */
import type { Repos } from '../data/index.js';
import type { ListRow, PostRow, UserRow } from '../data/rows.js';
import type { Selection } from './selection.js';
import { hydrateAccounts, hydrateLists, hydrateOnePost, hydrateOneUser, hydratePosts, hydrateUsers, postLinks, wantsReferences, type HydrateEnv, type UserKeys } from './hydrate.js';
import { judgeListPage, judgePostPage, judgeUserPage, listTimelineAuthors, listVerdict, postVerdict, subjectUserVerdict, type SubjectUserVerdict, type Verdict, type Viewer } from './rules.js';
import { presentListPage, presentPostPage, presentUserPage, type PrimaryErrors, type Rendered } from './present-page.js';

export interface RenderEnv {
  repos: Repos;
  viewer: Viewer;
  now: number;
}

/** Lists drop what the viewer may not see, without a Problem. */
export const LIST: PrimaryErrors = Object.freeze({ parameter: null });

/** Posts (in the order wanted) with their expansions. */
export async function renderPosts(env: RenderEnv, ids: readonly string[], sel: Selection, primary: PrimaryErrors): Promise<Rendered> {
  const s = await hydratePosts(env, ids, sel);
  const rules = judgePostPage(env.viewer, s, ids, wantsReferences(sel));
  return presentPostPage(s, rules, sel, { now: env.now, viewerId: env.viewer.userId }, primary);
}

/** Users (in the order asked, by id or by username) with their pinned/most-recent post expansions. */
export async function renderUsers(env: RenderEnv, keys: UserKeys, sel: Selection, primary: PrimaryErrors): Promise<Rendered> {
  const { state, refs } = await hydrateUsers(env, keys, sel);
  const users = judgeUserPage(refs);
  const links = postLinks(sel, users.shown);
  const linked = links.length ? { links, rules: judgePostPage(env.viewer, state, links.map((l) => l.id), false) } : undefined;
  return presentUserPage(state, users, linked, sel, { now: env.now, viewerId: env.viewer.userId }, primary);
}

/**
 * One post as a viewer may see it: the subject of a /2/tweets/:id/… list, or the target of a write (like,
 * repost, bookmark, reply, quote) when `repos` is bound to the write's transaction.
 */
export async function judgePost(env: HydrateEnv, id: string): Promise<{ verdict: Verdict; post?: PostRow; author?: UserRow }> {
  const s = await hydrateOnePost(env, id);
  const post = s.posts.get(id);
  const author = post && s.users.get(post.authorId);
  return { verdict: postVerdict(env.viewer, post, author, s.relations), post, author };
}

/** The user a /2/users/:id/… list hangs off, as the viewer may reach them (see rules' `subjectUserVerdict`). */
export async function judgeUser(env: HydrateEnv, id: string): Promise<{ verdict: SubjectUserVerdict; user?: UserRow }> {
  const s = await hydrateOneUser(env, id);
  const user = s.users.get(id);
  return { verdict: subjectUserVerdict(env.viewer, user, s.relations), user };
}

/** Lists (in the order asked) with their owners when `owner_id` is expanded. */
export async function renderLists(env: RenderEnv, ids: readonly string[], sel: Selection, primary: PrimaryErrors): Promise<Rendered> {
  const s = await hydrateLists(env, ids);
  return presentListPage(s, judgeListPage(env.viewer, s, ids), sel, { now: env.now, viewerId: env.viewer.userId }, primary);
}

/** One list as a viewer may see it: the subject of a /2/lists/:id/… read, or the target of a list write. */
export async function judgeList(env: HydrateEnv, id: string): Promise<{ verdict: Verdict; list?: ListRow; owner?: UserRow }> {
  const s = await hydrateLists(env, [id]);
  const list = s.lists.get(id);
  const owner = list && s.users.get(list.ownerId);
  return { verdict: listVerdict(env.viewer, list, owner, s.relations), list, owner };
}

/** Of these list members, the authors whose posts the viewer may see (rules' `listTimelineAuthors`). */
export async function listAuthors(env: HydrateEnv, memberIds: readonly string[]): Promise<string[]> {
  const s = await hydrateAccounts(env, memberIds);
  return listTimelineAuthors(env.viewer, s.users.values(), s.relations);
}
