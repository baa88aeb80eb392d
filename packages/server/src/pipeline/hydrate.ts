/**
 * Hydrate: everything a page needs, batch-loaded into maps. Every load is keyed by a set of ids and made once
 * per dependency level (posts → the posts they reference → users, edit chains, media, polls, places → the
 * viewer's relations and earlier versions), so the number of queries of a page does not grow with its length.
 * Rows already in the state are never asked for again. Hydrate loads what the selection may show; it neither
 * decides visibility (rules/) nor shapes output (present/).
 */
import type { Repos } from '../data/index.js';
import type { ListRow, MediaRow, PlaceRow, PollRow, PostRow, UserRow } from '../data/rows.js';
import type { ViewerConnections } from '../data/edges.js';
import type { SuggestedSource } from '../data/notes.js';
import type { Selection } from './selection.js';
import type { DmEventRow, DmParticipantRow } from '../data/dms.js';
import type { ChatConversationRow, ChatEventRow, ChatMemberRow } from '../data/chats.js';
import { pairId } from '../util/conversations.js';
import { communityAccess, followKey, relationNeeds, type CommunityAccess, type MessagingFacts, type Relations, type UserRef, type Viewer } from './rules.js';

export interface HydrationState {
  /** Posts by id: the page's, those they reference, pinned and earlier versions (deleted ones included). */
  posts: ReadonlyMap<string, PostRow>;
  /** Users by id: the page's, authors, reply-to users. */
  users: ReadonlyMap<string, UserRow>;
  /** Users by lower-cased username: the page's when asked by username, users mentioned by posts. */
  usersByName: ReadonlyMap<string, UserRow>;
  /** The viewer's follows and blocks among the users above, as far as the page needs them. */
  relations: Relations;
  /** Versions of edited chains by root id, oldest first (a never-edited post is its own history). */
  editChains: ReadonlyMap<string, string[]>;
  media: ReadonlyMap<string, MediaRow>;
  polls: ReadonlyMap<string, PollRow>;
  places: ReadonlyMap<string, PlaceRow>;
  /** Lists by id (the page's); their owners are in `users`. */
  lists: ReadonlyMap<string, ListRow>;
  /** The viewer's blocks, mutes and follow requests with the page's users (only for connection_status). */
  connections?: ViewerConnections;
  /** Posts suggested as sources by people who asked for a Community Note, per post (only for suggested_source_links). */
  noteSources?: ReadonlyMap<string, readonly SuggestedSource[]>;
  /** The organisations the page's users are affiliated with, by user id (only when `affiliation` is asked). */
  affiliations?: ReadonlyMap<string, Affiliation>;
}

/** A user's affiliation: the verified organisation (its account) they belong to. */
export interface Affiliation {
  org: UserRow;
  description: string;
}

export interface HydrateEnv {
  repos: Repos;
  viewer: Viewer;
}

const NONE: ReadonlyMap<string, never> = new Map<string, never>();

/** A state with nothing loaded: every map is the shared empty one until a load replaces it. */
export function emptyState(): HydrationState {
  return { posts: NONE, users: NONE, usersByName: NONE, relations: { follows: new Set() }, editChains: NONE, media: NONE, polls: NONE, places: NONE, lists: NONE };
}

/**
 * `current` with `loaded` added. Data modules answer each batch with a map of their own making, so the first
 * load is adopted as it is (no copy); later loads go into it.
 */
function merge<T>(current: ReadonlyMap<string, T>, loaded: Map<string, T>): ReadonlyMap<string, T> {
  if (current.size === 0) return loaded;
  const into = current as Map<string, T>;
  for (const [k, v] of loaded) into.set(k, v);
  return into;
}

/**
 * A batch load under way, or undefined when there was nothing to load: nobody awaits then, so a lookup that
 * needs one query pays for one await.
 */
type Load = Promise<void> | undefined;

/** The loads of one dependency level, run together. */
function level(...loads: Load[]): Load {
  let first: Load;
  let rest: Promise<void>[] | undefined;
  for (const l of loads) {
    if (!l) continue;
    if (!first) first = l;
    else (rest ??= [first]).push(l);
  }
  return rest ? Promise.all(rest).then(() => undefined) : first;
}

/** Ids not loaded yet, each once. */
function unknown(ids: readonly string[], loaded: ReadonlyMap<string, unknown>): string[] {
  // Single lookups are the hot path: no set for them.
  if (ids.length === 1) return loaded.has(ids[0]!) ? [] : [ids[0]!];
  const out = new Set<string>();
  for (const id of ids) if (!loaded.has(id)) out.add(id);
  return [...out];
}

function loadPosts(repos: Repos, s: HydrationState, ids: readonly string[]): Load {
  const want = unknown(ids, s.posts);
  if (!want.length) return undefined;
  return repos.posts.byIds(want).then((rows) => {
    s.posts = merge(s.posts, rows);
  });
}

function loadUsers(repos: Repos, s: HydrationState, ids: readonly string[]): Load {
  const want = unknown(ids, s.users);
  if (!want.length) return undefined;
  return repos.users.byIds(want).then((rows) => {
    s.users = merge(s.users, rows);
  });
}

function loadUsersByName(repos: Repos, s: HydrationState, names: readonly string[]): Load {
  const want = unknown(names.map((n) => n.toLowerCase()), s.usersByName);
  if (!want.length) return undefined;
  return repos.users.byUsernames(want).then((rows) => {
    s.usersByName = merge(s.usersByName, rows);
  });
}

/** Whether a post belongs to a chain with more than one version. */
export const isEdited = (p: PostRow): boolean => p.editRootId !== p.id || p.editCount > 0;

function loadEditChains(repos: Repos, s: HydrationState, posts: Iterable<PostRow>): Load {
  // A never-edited post's history is itself: only chains with edits need a query.
  const roots: string[] = [];
  for (const p of posts) if (isEdited(p) && !s.editChains.has(p.editRootId)) roots.push(p.editRootId);
  if (!roots.length) return undefined;
  return repos.posts.editChains(roots).then((chains) => {
    s.editChains = merge(s.editChains, chains);
  });
}

/** Every version of a post's edit chain, oldest first. */
export function editHistory(s: Pick<HydrationState, 'editChains'>, p: PostRow): readonly string[] {
  return (isEdited(p) && s.editChains.get(p.editRootId)) || [p.id];
}

/**
 * The viewer's relations the rules need to judge content by these authors (follows of protected ones, blocks
 * either way), plus any further follow pairs asked for (connection_status): one query of each kind.
 */
function loadRelations(repos: Repos, viewer: Viewer, s: HydrationState, authors: Iterable<UserRow>, pairs: [string, string][] = []): Load {
  if (!viewer.userId) return undefined;
  const needs = relationNeeds(viewer, authors);
  const asked = new Map<string, [string, string]>();
  for (const p of [...needs.followPairs, ...pairs]) {
    const k = followKey(p[0], p[1]);
    if (!s.relations.follows.has(k)) asked.set(k, p);
  }
  const follows = asked.size
    ? repos.edges.followPairs([...asked.values()]).then((found) => {
        for (const k of found) s.relations.follows.add(k);
      })
    : undefined;
  const blocked = needs.blockChecks.length
    ? repos.timelines.blockedEitherWay(viewer.userId, needs.blockChecks).then((found) => {
        const into = (s.relations.blocked ??= new Set());
        for (const id of found) into.add(id);
      })
    : undefined;
  return level(follows, blocked);
}

/** The Communities of these posts as the viewer reads them (rules' `CommunityAccess`), one query. */
export async function readCommunities(repos: Repos, viewer: Viewer, ids: readonly string[]): Promise<Map<string, CommunityAccess>> {
  const out = new Map<string, CommunityAccess>();
  if (!ids.length) return out;
  for (const [id, c] of await repos.communities.readAccess(ids, viewer.userId)) out.set(id, communityAccess(c.access, c.member));
  return out;
}

/** The Communities these posts were posted in, each once, leaving out those already `known`. */
export function communityIdsOf(posts: Iterable<PostRow>, known?: ReadonlyMap<string, unknown>): string[] {
  const want = new Set<string>();
  for (const p of posts) {
    const c = p.extras?.community_id;
    if (c && !known?.has(c)) want.add(c);
  }
  return [...want];
}

/** The Communities of these posts as the viewer reads them, into the relations (what judging Community posts needs). */
function loadCommunities(repos: Repos, viewer: Viewer, s: HydrationState, posts: Iterable<PostRow>): Load {
  const want = communityIdsOf(posts, s.relations.communities);
  if (!want.length) return undefined;
  return readCommunities(repos, viewer, want).then((found) => {
    s.relations.communities = merge(s.relations.communities ?? NONE, found);
  });
}

/** Whether a selection shows affiliations (the field, or the expansion that brings the organisations). */
const wantsAffiliations = (sel: Selection): boolean => sel.user.has('affiliation') || sel.expansions.has('affiliation');

/** The affiliations of every user in the state (by id or by name), with their organisations' accounts. */
function loadAffiliations(repos: Repos, s: HydrationState, sel: Selection): Load {
  if (!wantsAffiliations(sel)) return undefined;
  const ids = new Set<string>(s.users.keys());
  for (const u of s.usersByName.values()) ids.add(u.id);
  if (!ids.size) return undefined;
  return repos.affiliations.ofUsers([...ids]).then(async (rows) => {
    if (!rows.size) return;
    const orgs = await repos.users.byIds([...new Set([...rows.values()].map((r) => r.orgId))]);
    const out = new Map<string, Affiliation>();
    for (const [userId, r] of rows) {
      const org = orgs.get(r.orgId);
      if (org) out.set(userId, { org, description: r.description });
    }
    s.affiliations = out;
  });
}

function rowsOf(ids: Iterable<string>, rows: ReadonlyMap<string, PostRow>): PostRow[] {
  const out: PostRow[] = [];
  for (const id of ids) {
    const p = rows.get(id);
    if (p) out.push(p);
  }
  return out;
}

function referencedIds(posts: readonly PostRow[]): string[] {
  const out: string[] = [];
  for (const p of posts) {
    if (p.repostedPostId) out.push(p.repostedPostId);
    if (p.quotedPostId) out.push(p.quotedPostId);
    if (p.inReplyToPostId) out.push(p.inReplyToPostId);
  }
  return out;
}

/** Whether a selection expands the posts that posts reference. */
export const wantsReferences = (sel: Selection): boolean =>
  sel.expansions.has('referenced_tweets.id') || sel.expansions.has('referenced_tweets.id.author_id') || sel.expansions.has('referenced_tweets.id.attachments.media_keys');

/** The media keys the article expansions reach from these posts: covers, then the articles' images. */
export function articleMediaKeys(exp: ReadonlySet<string>, posts: readonly PostRow[]): string[] {
  const out: string[] = [];
  for (const p of posts) {
    const a = p.extras?.article;
    if (!a) continue;
    if (exp.has('article.cover_media') && a.cover_media) out.push(a.cover_media);
    if (exp.has('article.media_entities')) a.media_entities?.forEach((k) => out.push(k));
  }
  return out;
}

/** Posts (in the order wanted) and everything their expansions reach. */
export async function hydratePosts(env: HydrateEnv, ids: readonly string[], sel: Selection): Promise<HydrationState> {
  const { repos, viewer } = env;
  const s = emptyState();
  const exp = sel.expansions;

  await loadPosts(repos, s, ids);
  const primary = rowsOf(ids, s.posts);

  const refIds = wantsReferences(sel) ? referencedIds(primary) : [];
  await loadPosts(repos, s, refIds);
  const refs = refIds.length ? rowsOf(refIds, s.posts) : [];

  const userIds: string[] = [];
  for (const p of primary) userIds.push(p.authorId);
  for (const p of refs) userIds.push(p.authorId);
  if (exp.has('in_reply_to_user_id')) for (const p of primary) if (p.inReplyToUserId) userIds.push(p.inReplyToUserId);
  const names: string[] = [];
  if (exp.has('entities.mentions.username')) for (const p of primary) p.entities?.mentions?.forEach((m) => names.push(m.username));
  if (exp.has('entities.note.mentions.username')) for (const p of primary) p.noteEntities?.mentions?.forEach((m) => names.push(m.username));
  const mediaKeys: string[] = [];
  if (exp.has('attachments.media_keys')) for (const p of primary) p.mediaKeys?.forEach((k) => mediaKeys.push(k));
  if (exp.has('referenced_tweets.id.attachments.media_keys')) for (const p of refs) p.mediaKeys?.forEach((k) => mediaKeys.push(k));
  mediaKeys.push(...articleMediaKeys(exp, primary));
  const pollIds = exp.has('attachments.poll_ids') ? primary.flatMap((p) => (p.pollId ? [p.pollId] : [])) : [];
  const placeIds = exp.has('geo.place_id') ? primary.flatMap((p) => (p.placeId ? [p.placeId] : [])) : [];
  await level(
    loadUsers(repos, s, userIds),
    loadUsersByName(repos, s, names),
    loadEditChains(repos, s, s.posts.values()),
    mediaKeys.length ? repos.attachments.mediaByKeys(mediaKeys).then((m) => void (s.media = m)) : undefined,
    pollIds.length ? repos.attachments.pollsByIds(pollIds).then((m) => void (s.polls = m)) : undefined,
    placeIds.length ? repos.attachments.placesByIds(placeIds).then((m) => void (s.places = m)) : undefined,
    wantsNoteSources(sel) ? repos.notes.suggestedSources([...s.posts.keys()]).then((m) => void (s.noteSources = m)) : undefined,
  );

  const authors = new Map<string, UserRow>();
  if (viewer.userId) {
    for (const p of s.posts.values()) {
      const a = s.users.get(p.authorId);
      if (a) authors.set(a.id, a);
    }
  }
  // Earlier versions of the page's posts (edit_history_tweet_ids): rows the chains name but the page lacks.
  const versions = exp.has('edit_history_tweet_ids') ? primary.flatMap((p) => editHistory(s, p)) : [];
  await level(
    loadRelations(repos, viewer, s, authors.values()),
    loadPosts(repos, s, versions),
    loadCommunities(repos, viewer, s, s.posts.values()),
    loadAffiliations(repos, s, sel),
  );
  return s;
}

const wantsNoteSources = (sel: Selection): boolean => sel.post.has('suggested_source_links') || sel.post.has('suggested_source_links_with_counts');

const found = (refs: readonly UserRef[]): UserRow[] => refs.flatMap((r) => (r.user ? [r.user] : []));

/** Users asked for by id or by username. */
export type UserKeys = { ids: readonly string[] } | { usernames: readonly string[] };

/** Whether a selection expands the posts users point at. */
const wantsUserPosts = (sel: Selection): boolean => sel.expansions.has('pinned_tweet_id') || sel.expansions.has('most_recent_tweet_id');

const NO_LINKS: readonly PostLink[] = Object.freeze([]);

/** A post a user expansion points at, with the expansion that names it in Problems. */
export interface PostLink {
  id: string;
  expansion: 'pinned_tweet_id' | 'most_recent_tweet_id';
}

/**
 * The posts the pinned/most-recent expansions of these users point at, each once, in first-reference order;
 * a post both pinned and most recent is named by the last expansion that reached it.
 */
export function postLinks(sel: Selection, users: Iterable<UserRow>): readonly PostLink[] {
  const pinned = sel.expansions.has('pinned_tweet_id');
  const recent = sel.expansions.has('most_recent_tweet_id');
  if (!pinned && !recent) return NO_LINKS;
  const links = new Map<string, PostLink>();
  for (const u of users) {
    if (pinned && u.pinnedPostId) links.set(u.pinnedPostId, { id: u.pinnedPostId, expansion: 'pinned_tweet_id' });
    if (recent && u.mostRecentPostId) links.set(u.mostRecentPostId, { id: u.mostRecentPostId, expansion: 'most_recent_tweet_id' });
  }
  return [...links.values()];
}

/** Users (in the order asked) with their pinned and most recent posts and the viewer's connections to them. */
export async function hydrateUsers(env: HydrateEnv, keys: UserKeys, sel: Selection): Promise<{ state: HydrationState; refs: UserRef[] }> {
  const { repos, viewer } = env;
  const s = emptyState();
  let refs: UserRef[];
  if ('ids' in keys) {
    await loadUsers(repos, s, keys.ids);
    refs = keys.ids.map((id) => ({ key: id, user: s.users.get(id) }));
  } else {
    await loadUsersByName(repos, s, keys.usernames);
    refs = keys.usernames.map((n) => ({ key: n, user: s.usersByName.get(n.toLowerCase()) }));
  }
  const me = viewer.userId;
  const connections = !!me && sel.user.has('connection_status');
  const postIds = wantsUserPosts(sel) ? postLinks(sel, found(refs)).map((l) => l.id) : [];
  if (!postIds.length && !connections) {
    const affiliations = loadAffiliations(repos, s, sel);
    if (affiliations) await affiliations;
    return { state: s, refs };
  }
  // Users asked for by name are the likely authors of their pinned posts: known by id, they are not asked again.
  if ('usernames' in keys) s.users = merge(s.users, new Map(found(refs).map((u) => [u.id, u])));

  await loadPosts(repos, s, postIds);
  const posts = rowsOf(postIds, s.posts);
  await loadUsers(repos, s, posts.map((p) => p.authorId));

  const pairs: [string, string][] = [];
  const others: string[] = [];
  if (connections) {
    for (const u of found(refs)) {
      if (u.id === me) continue;
      pairs.push([me, u.id], [u.id, me]);
      others.push(u.id);
    }
  }
  const authors = posts.flatMap((p) => s.users.get(p.authorId) ?? []);
  const others$ = others.length
    ? repos.edges.connectionsOf(me!, others).then((c) => {
        s.connections = c;
      })
    : undefined;
  await level(loadRelations(repos, viewer, s, authors, pairs), loadEditChains(repos, s, posts), others$, loadCommunities(repos, viewer, s, posts), loadAffiliations(repos, s, sel));
  return { state: s, refs };
}

/** One post, its author and the viewer's relations to them: what judging a single post needs. */
export async function hydrateOnePost(env: HydrateEnv, id: string): Promise<HydrationState> {
  const s = emptyState();
  await loadPosts(env.repos, s, [id]);
  const p = s.posts.get(id);
  if (p) await loadUsers(env.repos, s, [p.authorId]);
  const author = p && s.users.get(p.authorId);
  if (p && author) await level(loadRelations(env.repos, env.viewer, s, [author]), loadCommunities(env.repos, env.viewer, s, [p]));
  return s;
}

/** One user and the viewer's relations to them. */
export function hydrateOneUser(env: HydrateEnv, id: string): Promise<HydrationState> {
  return hydrateAccounts(env, [id]);
}

/**
 * Lists (in the order asked) with their owners and the viewer's relations to them: what judging lists needs, and
 * the users the `owner_id` expansion shows.
 */
export async function hydrateLists(env: HydrateEnv, ids: readonly string[], sel?: Selection): Promise<HydrationState> {
  const s = emptyState();
  if (ids.length) s.lists = await env.repos.lists.byIds(ids);
  const owners: string[] = [];
  for (const l of s.lists.values()) owners.push(l.ownerId);
  await loadUsers(env.repos, s, owners);
  await level(loadRelations(env.repos, env.viewer, s, s.users.values()), sel?.expansions.has('owner_id') ? loadAffiliations(env.repos, s, sel) : undefined);
  return s;
}

/** Users by id and the viewer's relations to them (blocks, follows of protected ones): what choosing authors needs. */
export async function hydrateAccounts(env: HydrateEnv, ids: readonly string[]): Promise<HydrationState> {
  const s = emptyState();
  await loadUsers(env.repos, s, ids);
  await loadRelations(env.repos, env.viewer, s, s.users.values());
  return s;
}

// ---- Direct Messages and Chats ----

/** A page of DM events: the events, the viewer's participant rows of their conversations, and what they expand. */
export interface DmHydrationState extends HydrationState {
  events: ReadonlyMap<string, DmEventRow>;
  /** The viewer's participant rows, by conversation id. */
  memberships: ReadonlyMap<string, DmParticipantRow>;
}

/**
 * DM events (in the order wanted) with the senders, participants, media and linked posts their expansions reach;
 * linked posts come with their authors, the viewer's relations to them and their edit chains, as in a post page.
 */
export async function hydrateDmEvents(env: HydrateEnv, ids: readonly string[], sel: Selection): Promise<DmHydrationState> {
  const { repos, viewer } = env;
  const events = await repos.dms.eventsByIds(ids);
  const s: DmHydrationState = { ...emptyState(), events, memberships: NONE };
  const rows = ids.flatMap((id) => events.get(id) ?? []);
  const exp = sel.expansions;
  const userIds: string[] = [];
  if (exp.has('sender_id')) for (const e of rows) if (e.senderId) userIds.push(e.senderId);
  if (exp.has('participant_ids')) for (const e of rows) e.participantIds?.forEach((u) => userIds.push(u));
  const mediaKeys = exp.has('attachments.media_keys') ? rows.flatMap((e) => e.mediaKeys ?? []) : [];
  const postIds = exp.has('referenced_tweets.id') ? rows.flatMap((e) => e.referencedPostIds ?? []) : [];
  const me = viewer.userId;
  await level(
    me && rows.length ? repos.dms.memberships(me, rows.map((e) => e.conversationId)).then((m) => void (s.memberships = m)) : undefined,
    loadUsers(repos, s, userIds),
    mediaKeys.length ? repos.attachments.mediaByKeys(mediaKeys).then((m) => void (s.media = m)) : undefined,
    loadPosts(repos, s, postIds),
  );
  const refs = rowsOf(postIds, s.posts);
  await loadUsers(repos, s, refs.map((p) => p.authorId));
  const authors = refs.flatMap((p) => s.users.get(p.authorId) ?? []);
  await level(loadRelations(repos, viewer, s, authors), loadEditChains(repos, s, refs), loadCommunities(repos, viewer, s, refs), loadAffiliations(repos, s, sel));
  return s;
}

/** Chat events (in the order wanted) and the viewer's memberships of their conversations. */
export interface ChatEventState {
  items: ReadonlyMap<string, ChatEventRow>;
  memberships: ReadonlyMap<string, ChatMemberRow>;
}

export async function hydrateChatEvents(env: HydrateEnv, ids: readonly string[]): Promise<ChatEventState> {
  const items = await env.repos.chats.eventsByIds(ids);
  const conversations = [...items.values()].map((e) => e.conversationId);
  const me = env.viewer.userId;
  const memberships = me && conversations.length ? await env.repos.chats.memberships(me, conversations) : NONE;
  return { items, memberships };
}

/** Chat conversations with their members, and the users the member expansions reach. */
export interface ChatConversationState extends HydrationState {
  conversations: ReadonlyMap<string, ChatConversationRow>;
  members: ReadonlyMap<string, ChatMemberRow[]>;
}

const CHAT_MEMBER_EXPANSIONS = ['participant_ids', 'member_ids', 'admin_ids'];

export async function hydrateChatConversations(env: HydrateEnv, ids: readonly string[], sel: Selection): Promise<ChatConversationState> {
  const { repos } = env;
  const [conversations, members] = await Promise.all([repos.chats.conversationsByIds(ids), repos.chats.members(ids)]);
  const s: ChatConversationState = { ...emptyState(), conversations, members };
  if (CHAT_MEMBER_EXPANSIONS.some((e) => sel.expansions.has(e))) await loadUsers(repos, s, [...members.values()].flat().map((m) => m.userId));
  await level(loadAffiliations(repos, s, sel));
  return s;
}

/** What judging whether `senderId` may message each recipient needs (rules' `messagingVerdict`). */
export interface MessagingState {
  sender: UserRow | undefined;
  facts(recipientId: string): MessagingFacts | undefined;
}

/**
 * The sender, the recipients, blocks either way, DM blocks, whether each recipient follows the sender, their DM
 * settings and — for one recipient — whether they have written to the sender already: one query of each kind.
 */
export async function hydrateMessaging(repos: Repos, senderId: string, recipientIds: readonly string[]): Promise<MessagingState> {
  const others = [...new Set(recipientIds)].filter((r) => r !== senderId);
  const [users, blocked, dmBlockers, follows, settings, engaged] = await Promise.all([
    repos.users.byIds([senderId, ...others]),
    repos.timelines.blockedEitherWay(senderId, others),
    repos.social.dmBlockersOf(senderId, others),
    repos.edges.followPairs(others.map((r): [string, string] => [r, senderId])),
    repos.dms.settingsOf(others),
    others.length === 1 ? repos.dms.hasSent(pairId(senderId, others[0]!), others[0]!) : Promise.resolve(false),
  ]);
  const sender = users.get(senderId);
  return {
    sender,
    facts(recipientId) {
      if (!sender) return undefined;
      return {
        sender,
        recipient: users.get(recipientId),
        blocked: blocked.has(recipientId),
        dmBlocked: dmBlockers.has(recipientId),
        followedByRecipient: follows.has(followKey(recipientId, senderId)),
        allowFrom: settings.get(recipientId),
        engaged: others.length === 1 && engaged,
      };
    },
  };
}
