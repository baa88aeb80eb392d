/**
 * Pages: `data`, `includes` (each object once per array, in first-reference order) and partial errors (FACTS
 * §1.2, §2.3) from a hydrated state and the rules' verdicts. Pure: reads the state, returns a new page.
 */
import type { PostRow, UserRow } from '../data/rows.js';
import type { Selection } from './selection.js';
import type { ChatConversationRow } from '../data/chats.js';
import { resolveDmMedia } from '../media/dm-urls.js';
import { articleMediaKeys, editHistory, type ChatConversationState, type DmHydrationState, type HydrationState, type PostLink } from './hydrate.js';
import { includedUser, followKey, ownedObjectVerdict, type ConversationItemRules, type DmEventPageRules, type ListPageRules, type PostPageRules, type UserPageRules } from './rules.js';
import { listProblem, notFound, postProblem, userProblem, type Problem } from './problems.js';
import { chatConversationUserIds, presentChatConversation, presentDmEvent } from './present-dm.js';
import { postForGeneration, presentList, presentMedia, presentPlace, presentPoll, presentPost, presentUser, userForGeneration } from './present.js';

export interface Rendered {
  data: Record<string, unknown>[];
  includes?: Record<string, Record<string, unknown>[]>;
  errors?: Problem[];
}

/** How a primary item that cannot be shown is reported: lookups name it, lists silently drop it. */
export interface PrimaryErrors {
  /** Parameter name used in Problems (`id`, `ids`, `username`…), or null to drop hidden items without a Problem. */
  parameter: string | null;
}

export interface PageContext {
  now: number;
  viewerId: string | null;
  /** Where media bytes are served (the origin of Direct Message media URLs). */
  mediaBase?: string;
}

type View = Record<string, unknown>;

const POST_USER_EXPANSIONS = ['author_id', 'in_reply_to_user_id', 'entities.mentions.username', 'referenced_tweets.id.author_id', 'entities.note.mentions.username'];

const tweetsKey = (sel: Selection) => (sel.generation === 'modern' ? 'posts' : 'tweets');

class Includes {
  users = new Map<string, View>();
  tweets = new Map<string, View>();
  media = new Map<string, View>();
  polls = new Map<string, View>();
  places = new Map<string, View>();

  toJson(sel: Selection): Record<string, View[]> | undefined {
    const out: Record<string, View[]> = {};
    const put = (k: string, m: Map<string, View>) => {
      if (m.size) out[k] = [...m.values()];
    };
    put('users', this.users);
    put(tweetsKey(sel), this.tweets);
    put('media', this.media);
    put('polls', this.polls);
    put('places', this.places);
    return Object.keys(out).length ? out : undefined;
  }
}

/** The organisation a user is affiliated with, while it is shown (an affiliation goes with a suspended organisation). */
function affiliationOf(s: HydrationState, userId: string): { org: UserRow } | undefined {
  const a = s.affiliations?.get(userId);
  return a && ownedObjectVerdict(true, a.org) === 'ok' ? a : undefined;
}

/** A user's view in the generation asked, with what the page knows of them (affiliation, connection status). */
function userView(s: HydrationState, u: UserRow, sel: Selection, c: PageContext, connection?: string[]): View {
  return userForGeneration(presentUser(u, sel, { viewerId: c.viewerId, connection, affiliation: affiliationOf(s, u.id) }), sel.generation);
}

/** Adds an expanded user to `includes` once (suspended accounts never appear there). */
function userAdder(s: HydrationState, inc: Includes, sel: Selection, c: PageContext): (u: UserRow | undefined) => void {
  return (u) => {
    if (includedUser(u) && !inc.users.has(u.id)) inc.users.set(u.id, userView(s, u, sel, c));
  };
}

/** Presents posts and collects the problems each view raises, in presentation order. */
function postPresenter(s: HydrationState, sel: Selection, c: PageContext, errors: Problem[]) {
  return (p: PostRow, section: 'data' | 'includes'): View => {
    const { view, problems } = presentPost(p, sel, { now: c.now, viewerId: c.viewerId, editHistory: editHistory(s, p), section, noteSources: s.noteSources?.get(p.id) });
    if (problems.length) errors.push(...problems);
    return postForGeneration(view, sel.generation);
  };
}

function finish(data: View[], includes: Record<string, View[]> | undefined, errors: Problem[]): Rendered {
  const out: Rendered = { data };
  if (includes) out.includes = includes;
  if (errors.length) out.errors = errors;
  return out;
}

/** A page of posts with their expansions. */
export function presentPostPage(s: HydrationState, r: PostPageRules, sel: Selection, c: PageContext, primary: PrimaryErrors): Rendered {
  const exp = sel.expansions;
  const errors: Problem[] = [];
  if (primary.parameter) for (const h of r.hidden) errors.push(postProblem(h.verdict, primary.parameter, h.id));
  if (exp.has('referenced_tweets.id')) for (const h of r.hiddenRefs) errors.push(postProblem(h.verdict, 'referenced_tweets.id', h.id, 'includes'));

  const postView = postPresenter(s, sel, c, errors);
  const data = r.shown.map((p) => postView(p, 'data'));
  const inc = new Includes();

  if (POST_USER_EXPANSIONS.some((e) => exp.has(e))) {
    const addUser = userAdder(s, inc, sel, c);
    const byId = (id: string | null) => (id ? s.users.get(id) : undefined);
    for (const p of r.shown) {
      if (exp.has('author_id')) addUser(byId(p.authorId));
      if (exp.has('in_reply_to_user_id')) addUser(byId(p.inReplyToUserId));
      if (exp.has('entities.mentions.username')) p.entities?.mentions?.forEach((m) => addUser(s.usersByName.get(m.username.toLowerCase())));
      if (exp.has('entities.note.mentions.username')) p.noteEntities?.mentions?.forEach((m) => addUser(s.usersByName.get(m.username.toLowerCase())));
    }
    if (exp.has('referenced_tweets.id.author_id')) for (const p of r.refs) addUser(byId(p.authorId));
  }

  const primaryIds = new Set(r.shown.map((p) => p.id));
  if (exp.has('referenced_tweets.id')) {
    for (const p of r.refs) if (!primaryIds.has(p.id) && !inc.tweets.has(p.id)) inc.tweets.set(p.id, postView(p, 'includes'));
  }
  if (exp.has('edit_history_tweet_ids')) {
    const versions = new Set<string>();
    for (const p of r.shown) for (const id of editHistory(s, p)) if (!primaryIds.has(id)) versions.add(id);
    for (const id of versions) {
      const v = s.posts.get(id);
      if (v && !v.deleted && !inc.tweets.has(id)) inc.tweets.set(id, postView(v, 'includes'));
    }
  }

  const mediaKeys: string[] = [];
  if (exp.has('attachments.media_keys')) for (const p of r.shown) p.mediaKeys?.forEach((k) => mediaKeys.push(k));
  if (exp.has('referenced_tweets.id.attachments.media_keys')) for (const p of r.refs) p.mediaKeys?.forEach((k) => mediaKeys.push(k));
  mediaKeys.push(...articleMediaKeys(exp, r.shown));
  for (const k of mediaKeys) {
    const m = s.media.get(k);
    if (m && !inc.media.has(k)) inc.media.set(k, presentMedia(m, sel));
  }
  if (exp.has('attachments.poll_ids')) {
    for (const p of r.shown) {
      const poll = p.pollId ? s.polls.get(p.pollId) : undefined;
      if (poll && !inc.polls.has(poll.id)) inc.polls.set(poll.id, presentPoll(poll, sel, c.now));
    }
  }
  if (exp.has('geo.place_id')) {
    for (const p of r.shown) {
      const place = p.placeId ? s.places.get(p.placeId) : undefined;
      if (place && !inc.places.has(place.id)) inc.places.set(place.id, presentPlace(place, sel));
    }
  }
  return finish(data, inc.toJson(sel), errors);
}

/** connection_status of each shown user relative to the viewer (FACTS §8.2), from the relations hydrate loaded. */
function connections(s: HydrationState, users: readonly UserRow[], sel: Selection, viewerId: string | null): Map<string, string[]> | undefined {
  if (!viewerId || !sel.user.has('connection_status')) return undefined;
  const out = new Map<string, string[]>();
  const follows = s.relations.follows;
  for (const u of users) {
    const status: string[] = [];
    const c = s.connections;
    if (follows.has(followKey(viewerId, u.id))) status.push('following');
    if (follows.has(followKey(u.id, viewerId))) status.push('followed_by');
    if (c?.requestSent.has(u.id)) status.push('follow_request_sent');
    if (c?.requestReceived.has(u.id)) status.push('follow_request_received');
    if (c?.blocking.has(u.id)) status.push('blocking');
    if (c?.muting.has(u.id)) status.push('muting');
    out.set(u.id, status);
  }
  return out;
}

/** The posts a user page's expansions point at, and the rules' verdicts on them. */
export interface LinkedPosts {
  links: readonly PostLink[];
  rules: PostPageRules;
}

/** A page of users with the posts their pinned/most-recent expansions point at. */
export function presentUserPage(s: HydrationState, users: UserPageRules, linked: LinkedPosts | undefined, sel: Selection, c: PageContext, primary: PrimaryErrors): Rendered {
  const errors: Problem[] = [];
  if (primary.parameter) for (const h of users.hidden) errors.push(userProblem(h.verdict, primary.parameter, h.id));
  const status = connections(s, users.shown, sel, c.viewerId);
  const data = users.shown.map((u) => userView(s, u, sel, c, status?.get(u.id)));
  const inc = new Includes();
  // The `affiliation` expansion: each shown user's organisation (FACTS §2.3, `affiliation.user_id` → users).
  if (sel.expansions.has('affiliation')) {
    const addUser = userAdder(s, inc, sel, c);
    for (const u of users.shown) addUser(affiliationOf(s, u.id)?.org);
  }
  if (!linked) return finish(data, inc.toJson(sel), errors);

  const expansionOf = new Map(linked.links.map((l) => [l.id, l.expansion]));
  for (const h of linked.rules.hidden) {
    const expansion = expansionOf.get(h.id)!;
    errors.push(postProblem(h.verdict, sel.generation === 'modern' ? expansion.replace('_tweet_id', '_post_id') : expansion, h.id, 'includes'));
  }
  const postView = postPresenter(s, sel, c, errors);
  // These posts' field errors have always named section `data`, as for posts looked up by id.
  for (const p of linked.rules.shown) if (!inc.tweets.has(p.id)) inc.tweets.set(p.id, postView(p, 'data'));
  return finish(data, inc.toJson(sel), errors);
}

/**
 * A page of DM events with their expansions: senders and participants (`includes.users`), linked posts the viewer
 * may see (`includes.tweets`, Problems for the others), attachments (`includes.media`, their URLs resolved for the
 * event that carries them: served to its participants only).
 */
export function presentDmEventPage(s: DmHydrationState, r: DmEventPageRules, sel: Selection, c: PageContext, primary: PrimaryErrors): Rendered {
  const exp = sel.expansions;
  const errors: Problem[] = [];
  if (primary.parameter) for (const h of r.hidden) errors.push(notFound('dm_event', primary.parameter, h.id));
  if (exp.has('referenced_tweets.id')) for (const h of r.hiddenRefs) errors.push(postProblem(h.verdict, 'referenced_tweets.id', h.id, 'includes'));
  const data = r.shown.map((e) => presentDmEvent(e, sel));
  const inc = new Includes();
  const addUser = userAdder(s, inc, sel, c);
  for (const e of r.shown) {
    if (exp.has('sender_id') && e.senderId) addUser(s.users.get(e.senderId));
    if (exp.has('participant_ids')) e.participantIds?.forEach((id) => addUser(s.users.get(id)));
  }
  if (exp.has('referenced_tweets.id')) {
    const postView = postPresenter(s, sel, c, errors);
    for (const p of r.refs) if (!inc.tweets.has(p.id)) inc.tweets.set(p.id, postView(p, 'includes'));
  }
  if (exp.has('attachments.media_keys')) {
    for (const e of r.shown) {
      for (const k of e.mediaKeys ?? []) {
        const m = s.media.get(k);
        if (m && !inc.media.has(k)) inc.media.set(k, presentMedia(resolveDmMedia(m, e.id, c.mediaBase ?? ''), sel));
      }
    }
  }
  return finish(data, inc.toJson(sel), errors);
}

/** Chat conversations the viewer takes part in, with the users their member expansions name. */
export function presentChatConversationPage(s: ChatConversationState, r: ConversationItemRules<ChatConversationRow>, sel: Selection, c: PageContext, primary: PrimaryErrors): Rendered {
  const errors: Problem[] = [];
  if (primary.parameter) for (const h of r.hidden) errors.push(notFound('chat_conversation', primary.parameter, h.id));
  const inc = new Includes();
  const addUser = userAdder(s, inc, sel, c);
  const data = r.shown.map((conv) => {
    const members = s.members.get(conv.id) ?? [];
    for (const id of chatConversationUserIds(conv, members, sel)) addUser(s.users.get(id));
    return presentChatConversation(conv, members, sel);
  });
  return finish(data, inc.toJson(sel), errors);
}

/** A page of lists with their owners when `owner_id` is expanded. */
export function presentListPage(s: HydrationState, r: ListPageRules, sel: Selection, c: PageContext, primary: PrimaryErrors): Rendered {
  const errors: Problem[] = [];
  if (primary.parameter) for (const h of r.hidden) errors.push(listProblem(h.verdict, primary.parameter, h.id));
  const data = r.shown.map((l) => presentList(l, sel));
  if (!sel.expansions.has('owner_id')) return finish(data, undefined, errors);
  const owners = new Map<string, View>();
  for (const l of r.shown) {
    const u = s.users.get(l.ownerId);
    if (includedUser(u) && !owners.has(u.id)) owners.set(u.id, userView(s, u, sel, c));
  }
  return finish(data, owners.size ? { users: [...owners.values()] } : undefined, errors);
}
