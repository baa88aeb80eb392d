/**
 * The read pipeline after the skeleton: hydrate (batch-load rows for data and every requested expansion),
 * rules (visibility), present (views, includes deduplicated, partial errors).
 */
import type { Repos } from '../data/index.js';
import type { PostRow, UserRow } from '../data/rows.js';
import type { Selection } from './selection.js';
import { notAuthorized, notFound, suspended, type Problem } from './problems.js';
import { blockCandidates, postVerdict, protectedAuthorsToCheck, userVerdict, type Relations, type Verdict, type Viewer } from './rules.js';
import {
  postForGeneration,
  presentMedia,
  presentPlace,
  presentPoll,
  presentPost,
  presentUser,
  userForGeneration,
} from './present.js';

export interface RenderEnv {
  repos: Repos;
  viewer: Viewer;
  now: number;
}

export interface Rendered {
  data: Record<string, unknown>[];
  includes?: Record<string, Record<string, unknown>[]>;
  errors?: Problem[];
}

/** How a primary id that cannot be shown is reported: lookups name it, lists silently drop it. */
export interface PrimaryErrors {
  /** Parameter name used in Problems (`id`, `ids`), or null to drop hidden items without a Problem. */
  parameter: string | null;
}

const POST_USER_EXPANSIONS = ['author_id', 'in_reply_to_user_id', 'entities.mentions.username', 'referenced_tweets.id.author_id', 'entities.note.mentions.username'];

class Includes {
  users = new Map<string, Record<string, unknown>>();
  tweets = new Map<string, Record<string, unknown>>();
  media = new Map<string, Record<string, unknown>>();
  polls = new Map<string, Record<string, unknown>>();
  places = new Map<string, Record<string, unknown>>();

  toJson(sel: Selection): Record<string, Record<string, unknown>[]> | undefined {
    const out: Record<string, Record<string, unknown>[]> = {};
    const put = (k: string, m: Map<string, Record<string, unknown>>) => {
      if (m.size) out[k] = [...m.values()];
    };
    put('users', this.users);
    put(sel.generation === 'modern' ? 'posts' : 'tweets', this.tweets);
    put('media', this.media);
    put('polls', this.polls);
    put('places', this.places);
    return Object.keys(out).length ? out : undefined;
  }
}

/** The viewer's relations to these authors: follows of protected ones and blocks either way, loaded together. */
export async function relationsFor(env: Pick<RenderEnv, 'repos' | 'viewer'>, authors: Iterable<UserRow>): Promise<Relations> {
  const list = [...authors];
  const pairs = protectedAuthorsToCheck(env.viewer, list);
  const blockIds = blockCandidates(env.viewer, list);
  const [follows, blocked] = await Promise.all([
    pairs.length ? env.repos.edges.followPairs(pairs) : new Set<string>(),
    blockIds.length ? env.repos.timelines.blockedEitherWay(env.viewer.userId!, blockIds) : new Set<string>(),
  ]);
  return { follows, blocked };
}

async function editHistories(env: RenderEnv, posts: PostRow[]): Promise<Map<string, string[]>> {
  // Only versions of edited chains need a lookup; a never-edited post's history is itself.
  const edited = posts.filter((p) => p.editRootId !== p.id || p.editCount > 0);
  const chains = edited.length ? await env.repos.posts.editChains(edited.map((p) => p.editRootId)) : new Map<string, string[]>();
  const out = new Map<string, string[]>();
  for (const p of posts) out.set(p.id, chains.get(p.editRootId) ?? [p.id]);
  return out;
}

/** Renders posts (already in the order wanted) with their expansions. */
export async function renderPosts(env: RenderEnv, ids: readonly string[], sel: Selection, primary: PrimaryErrors): Promise<Rendered> {
  const { repos } = env;
  const errors: Problem[] = [];
  const rows = await repos.posts.byIds(ids);
  const exp = sel.expansions;

  // Referenced posts are needed for the referenced_tweets.id* expansions.
  const wantRefs = exp.has('referenced_tweets.id') || exp.has('referenced_tweets.id.author_id') || exp.has('referenced_tweets.id.attachments.media_keys');
  const wantHistory = exp.has('edit_history_tweet_ids');
  const refIds: string[] = [];
  if (wantRefs) {
    for (const p of rows.values()) for (const r of [p.repostedPostId, p.quotedPostId, p.inReplyToPostId]) if (r) refIds.push(r);
  }
  const refRows = refIds.length ? await repos.posts.byIds(refIds) : new Map<string, PostRow>();

  const authorIds = new Set<string>();
  for (const p of rows.values()) authorIds.add(p.authorId);
  for (const p of refRows.values()) authorIds.add(p.authorId);
  if (exp.has('in_reply_to_user_id')) for (const p of rows.values()) if (p.inReplyToUserId) authorIds.add(p.inReplyToUserId);
  const mentionNames = new Set<string>();
  if (exp.has('entities.mentions.username')) for (const p of rows.values()) p.entities?.mentions?.forEach((m) => mentionNames.add(m.username));
  if (exp.has('entities.note.mentions.username')) for (const p of rows.values()) p.noteEntities?.mentions?.forEach((m) => mentionNames.add(m.username));

  const [users, mentioned] = await Promise.all([repos.users.byIds([...authorIds]), repos.users.byUsernames([...mentionNames])]);
  const rel = await relationsFor(env, users.values());

  // Rules on the primary posts.
  const visible: PostRow[] = [];
  for (const id of ids) {
    const p = rows.get(id);
    const v: Verdict = postVerdict(env.viewer, p, p && users.get(p.authorId), rel);
    if (v === 'ok') visible.push(p!);
    else if (primary.parameter) {
      errors.push(v === 'missing' ? notFound('tweet', primary.parameter, id) : notAuthorized('tweet', primary.parameter, id, 'data'));
    }
  }

  // Referenced posts that are themselves visible.
  const includes = new Includes();
  const visibleRefs: PostRow[] = [];
  if (wantRefs) {
    const seen = new Set<string>();
    for (const p of visible) {
      for (const r of [p.repostedPostId, p.quotedPostId, p.inReplyToPostId]) {
        if (!r || seen.has(r)) continue;
        seen.add(r);
        const rp = refRows.get(r);
        const v = postVerdict(env.viewer, rp, rp && users.get(rp.authorId), rel);
        if (v === 'ok') visibleRefs.push(rp!);
        else if (exp.has('referenced_tweets.id')) {
          errors.push(v === 'missing' ? notFound('tweet', 'referenced_tweets.id', r, 'includes') : notAuthorized('tweet', 'referenced_tweets.id', r, 'includes'));
        }
      }
    }
  }

  const historyRows = await editHistories(env, [...visible, ...visibleRefs]);
  let historyPosts: PostRow[] = [];
  if (wantHistory) {
    const primaryIds = new Set(visible.map((p) => p.id));
    const extra = new Set<string>();
    for (const p of visible) for (const h of historyRows.get(p.id) ?? []) if (!primaryIds.has(h)) extra.add(h);
    if (extra.size) {
      const hrows = await repos.posts.byIds([...extra]);
      historyPosts = [...extra].map((h) => hrows.get(h)).filter((p): p is PostRow => !!p && !p.deleted);
      const more = await editHistories(env, historyPosts);
      for (const [k, v] of more) historyRows.set(k, v);
    }
  }

  // Attachments of primary posts (and of referenced posts when asked).
  const mediaKeys: string[] = [];
  const pollIds: string[] = [];
  const placeIds: string[] = [];
  if (exp.has('attachments.media_keys')) for (const p of visible) p.mediaKeys?.forEach((k) => mediaKeys.push(k));
  if (exp.has('referenced_tweets.id.attachments.media_keys')) for (const p of visibleRefs) p.mediaKeys?.forEach((k) => mediaKeys.push(k));
  if (exp.has('attachments.poll_ids')) for (const p of visible) if (p.pollId) pollIds.push(p.pollId);
  if (exp.has('geo.place_id')) for (const p of visible) if (p.placeId) placeIds.push(p.placeId);
  const [media, polls, places] = await Promise.all([
    repos.attachments.mediaByKeys(mediaKeys),
    repos.attachments.pollsByIds(pollIds),
    repos.attachments.placesByIds(placeIds),
  ]);

  // Present.
  const g = sel.generation;
  const postView = (p: PostRow, section: 'data' | 'includes') =>
    postForGeneration(
      presentPost(p, sel, { now: env.now, viewerId: env.viewer.userId, editHistory: historyRows.get(p.id) ?? [p.id], section, errors }),
      g,
    );
  const userView = (u: UserRow) => userForGeneration(presentUser(u, sel, { viewerId: env.viewer.userId }), g);
  const addUser = (id: string | null | undefined) => {
    if (!id || includes.users.has(id)) return;
    const u = users.get(id);
    if (u && userVerdict(u) === 'ok') includes.users.set(id, userView(u));
  };

  const data = visible.map((p) => postView(p, 'data'));
  if (POST_USER_EXPANSIONS.some((e) => exp.has(e))) {
    for (const p of visible) {
      if (exp.has('author_id')) addUser(p.authorId);
      if (exp.has('in_reply_to_user_id')) addUser(p.inReplyToUserId);
      const mentionLists = [
        ...(exp.has('entities.mentions.username') ? [p.entities?.mentions ?? []] : []),
        ...(exp.has('entities.note.mentions.username') ? [p.noteEntities?.mentions ?? []] : []),
      ];
      for (const list of mentionLists) {
        for (const m of list) {
          const u = mentioned.get(m.username.toLowerCase());
          if (u && userVerdict(u) === 'ok' && !includes.users.has(u.id)) includes.users.set(u.id, userView(u));
        }
      }
    }
    if (exp.has('referenced_tweets.id.author_id')) for (const r of visibleRefs) addUser(r.authorId);
  }
  if (exp.has('referenced_tweets.id')) {
    const primaryIds = new Set(visible.map((p) => p.id));
    for (const r of visibleRefs) if (!primaryIds.has(r.id) && !includes.tweets.has(r.id)) includes.tweets.set(r.id, postView(r, 'includes'));
  }
  for (const h of historyPosts) if (!includes.tweets.has(h.id)) includes.tweets.set(h.id, postView(h, 'includes'));
  for (const k of mediaKeys) {
    const m = media.get(k);
    if (m && !includes.media.has(k)) includes.media.set(k, presentMedia(m, sel));
  }
  for (const id of pollIds) {
    const p = polls.get(id);
    if (p && !includes.polls.has(id)) includes.polls.set(id, presentPoll(p, sel, env.now));
  }
  for (const id of placeIds) {
    const p = places.get(id);
    if (p && !includes.places.has(id)) includes.places.set(id, presentPlace(p, sel));
  }

  const out: Rendered = { data };
  const inc = includes.toJson(sel);
  if (inc) out.includes = inc;
  if (errors.length) out.errors = errors;
  return out;
}

export interface UserRef {
  /** The id or username the client asked for (used in Problems). */
  key: string;
  user: UserRow | undefined;
}

/** Renders users (already in the order wanted) with pinned/most-recent post expansions. */
export async function renderUsers(env: RenderEnv, refs: readonly UserRef[], sel: Selection, primary: PrimaryErrors): Promise<Rendered> {
  const errors: Problem[] = [];
  const visible: UserRow[] = [];
  for (const r of refs) {
    const v = userVerdict(r.user);
    if (v === 'ok') visible.push(r.user!);
    else if (primary.parameter) errors.push(v === 'missing' ? notFound('user', primary.parameter, r.key) : suspended(primary.parameter, r.key));
  }
  const exp = sel.expansions;
  const postIds: { id: string; param: string }[] = [];
  for (const u of visible) {
    if (exp.has('pinned_tweet_id') && u.pinnedPostId) postIds.push({ id: u.pinnedPostId, param: 'pinned_tweet_id' });
    if (exp.has('most_recent_tweet_id') && u.mostRecentPostId) postIds.push({ id: u.mostRecentPostId, param: 'most_recent_tweet_id' });
  }

  const connections = new Map<string, string[]>();
  if (sel.user.has('connection_status') && env.viewer.userId) {
    const me = env.viewer.userId;
    const pairs: [string, string][] = [];
    for (const u of visible) if (u.id !== me) pairs.push([me, u.id], [u.id, me]);
    const found = pairs.length ? await env.repos.edges.followPairs(pairs) : new Set<string>();
    for (const u of visible) {
      const s: string[] = [];
      if (found.has(`${me}:${u.id}`)) s.push('following');
      if (found.has(`${u.id}:${me}`)) s.push('followed_by');
      connections.set(u.id, s);
    }
  }

  const g = sel.generation;
  const data = visible.map((u) => userForGeneration(presentUser(u, sel, { viewerId: env.viewer.userId, connection: connections.get(u.id) }), g));
  const out: Rendered = { data };

  if (postIds.length) {
    const unique = [...new Map(postIds.map((p) => [p.id, p])).values()];
    const posts = await renderPosts(env, unique.map((p) => p.id), { ...sel, expansions: new Set() }, { parameter: null });
    const shown = new Set(posts.data.map((p) => String(p.id)));
    for (const p of unique) {
      if (shown.has(p.id)) continue;
      const row = (await env.repos.posts.byIds([p.id])).get(p.id);
      const param = g === 'modern' ? p.param.replace('_tweet_id', '_post_id') : p.param;
      errors.push(!row || row.deleted ? notFound('tweet', param, p.id, 'includes') : notAuthorized('tweet', param, p.id, 'includes'));
    }
    if (posts.data.length) out.includes = { [g === 'modern' ? 'posts' : 'tweets']: posts.data };
    if (posts.errors) errors.push(...posts.errors);
  }
  if (errors.length) out.errors = errors;
  return out;
}
