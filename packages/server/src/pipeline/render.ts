/**
 * The read pipeline after the skeleton (the ids a handler got from a data module, see pagination.ts):
 * hydrate (batch loads into maps) → rules (visibility verdicts) → present (pure views). Every read surface —
 * lookups, lists, timelines, search, streams — renders through here; subjects and write targets are judged
 * by the same rules through `judgePost` / `judgeUser`.
 */
import type { Repos } from '../data/index.js';
import type { ListRow, MediaRow, PostRow, UserRow } from '../data/rows.js';
import { selectionFrom, type Selection } from './selection.js';
import {
  hydrateAccounts,
  hydrateChatConversations,
  hydrateChatEvents,
  hydrateDmEvents,
  hydrateLists,
  hydrateMessaging,
  hydrateOnePost,
  hydrateOneUser,
  hydratePosts,
  hydrateUsers,
  communityIdsOf,
  postLinks,
  readCommunities,
  wantsReferences,
  type HydrateEnv,
  type UserKeys,
} from './hydrate.js';
import {
  APP_ONLY,
  appOnlyPostVerdict,
  broadcastChatVerdict,
  judgeChatConversationPage,
  judgeConversationItems,
  judgeDmEventPage,
  judgeListPage,
  judgePostPage,
  judgeUserPage,
  listTimelineAuthors,
  listVerdict,
  messagingVerdict,
  ownerOnlyVerdict,
  postVerdict,
  subjectUserVerdict,
  type BroadcastChatVerdict,
  type MessagingVerdict,
  type SubjectUserVerdict,
  type Verdict,
  type Viewer,
} from './rules.js';
import { presentChatConversationPage, presentDmEventPage, presentListPage, presentPostPage, presentUserPage, type PrimaryErrors, type Rendered } from './present-page.js';
import { presentChatEvent } from './present-dm.js';
import { presentScheduledBroadcast } from './present-broadcasts.js';
import { notFound, type Problem } from './problems.js';

export interface RenderEnv {
  repos: Repos;
  viewer: Viewer;
  now: number;
  /** Where media bytes are served (Direct Message media URLs). */
  mediaBase?: string;
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

/**
 * A post as the app-only surfaces (streams, filtered-stream webhooks) may carry it: rules' `appOnlyPostVerdict`,
 * with the post's Community as app-only reads it.
 */
export async function judgeAppOnlyPost(repos: Repos, post: PostRow | undefined, author: UserRow | undefined): Promise<Verdict> {
  const communities = post ? await readCommunities(repos, APP_ONLY, communityIdsOf([post])) : new Map();
  return appOnlyPostVerdict(post, author, communities);
}

/** The user a /2/users/:id/… list hangs off, as the viewer may reach them (see rules' `subjectUserVerdict`). */
export async function judgeUser(env: HydrateEnv, id: string): Promise<{ verdict: SubjectUserVerdict; user?: UserRow }> {
  const s = await hydrateOneUser(env, id);
  const user = s.users.get(id);
  return { verdict: subjectUserVerdict(env.viewer, user, s.relations), user };
}

const pageContext = (env: RenderEnv) => ({ now: env.now, viewerId: env.viewer.userId, mediaBase: env.mediaBase });

/** DM events (in the order wanted) a viewer may see, with their expansions; the others are hidden (Not Found). */
export async function renderDmEvents(env: RenderEnv, ids: readonly string[], sel: Selection, primary: PrimaryErrors): Promise<Rendered> {
  const s = await hydrateDmEvents(env, ids, sel);
  const rules = judgeDmEventPage(env.viewer, { ...s, items: s.events }, ids, sel.expansions.has('referenced_tweets.id'));
  return presentDmEventPage(s, rules, sel, pageContext(env), primary);
}

/** Chat conversations (in the order wanted) the viewer takes part in. */
export async function renderChatConversations(env: RenderEnv, ids: readonly string[], sel: Selection, primary: PrimaryErrors): Promise<Rendered> {
  const s = await hydrateChatConversations(env, ids, sel);
  return presentChatConversationPage(s, judgeChatConversationPage(env.viewer, s, ids), sel, pageContext(env), primary);
}

/** Chat events (in the order wanted) the viewer may see. */
export async function renderChatEvents(env: RenderEnv, ids: readonly string[], sel: Selection): Promise<Rendered> {
  const rules = judgeConversationItems(env.viewer, await hydrateChatEvents(env, ids), ids);
  return { data: rules.shown.map((e) => presentChatEvent(e, sel)) };
}

/** Whether `senderId` may message each recipient (X's DM settings, blocks, DM blocks), judged by the rules. */
export async function judgeMessaging(repos: Repos, senderId: string, recipientIds: readonly string[]): Promise<{ sender?: UserRow; verdicts: Map<string, MessagingVerdict> }> {
  const state = await hydrateMessaging(repos, senderId, recipientIds);
  const verdicts = new Map<string, MessagingVerdict>();
  for (const r of recipientIds) {
    const facts = state.facts(r);
    verdicts.set(r, facts ? messagingVerdict(facts) : 'missing');
  }
  return { sender: state.sender, verdicts };
}

/** The Media row `mediaId` attached to DM event `eventId`, when the viewer may see that event (its bytes' guard). */
export async function dmEventMedia(env: RenderEnv, eventId: string, mediaId: string): Promise<MediaRow | undefined> {
  const s = await hydrateDmEvents(env, [eventId], selectionFrom({ expansions: ['attachments.media_keys'] }, { expansionFields: false }));
  const [e] = judgeConversationItems(env.viewer, { items: s.events, memberships: s.memberships }, [eventId]).shown;
  return e?.mediaKeys?.map((k) => s.media.get(k)).find((m) => m?.id === mediaId);
}

/** Lists (in the order asked) with their owners when `owner_id` is expanded. */
export async function renderLists(env: RenderEnv, ids: readonly string[], sel: Selection, primary: PrimaryErrors): Promise<Rendered> {
  const s = await hydrateLists(env, ids, sel);
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

/** Whether the viewer may chat in a broadcast of `broadcast.ownerId` (rules' `broadcastChatVerdict`). */
export async function judgeBroadcastChat(env: HydrateEnv, broadcast: { ownerId: string; live: boolean } | undefined): Promise<BroadcastChatVerdict> {
  if (!broadcast) return 'missing';
  const s = await hydrateAccounts(env, [broadcast.ownerId]);
  return broadcastChatVerdict(env.viewer, broadcast, s.users.get(broadcast.ownerId), s.relations);
}

/** Scheduled broadcasts (in the order asked) as their owner sees them; for anyone else they do not exist. */
export async function renderScheduledBroadcasts(env: RenderEnv, ids: readonly string[], primary: PrimaryErrors): Promise<Rendered> {
  const rows = await env.repos.broadcasts.byIds(ids);
  const data: Record<string, unknown>[] = [];
  const errors: Problem[] = [];
  for (const id of ids) {
    const b = rows.get(id);
    if (ownerOnlyVerdict(env.viewer, b?.ownerId) === 'ok') data.push(presentScheduledBroadcast(b!, env.now));
    else if (primary.parameter) errors.push(notFound('scheduled_broadcast', primary.parameter, id));
  }
  return errors.length ? { data, errors } : { data };
}
