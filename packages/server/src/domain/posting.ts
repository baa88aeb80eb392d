/**
 * Posting (FACTS §9, §10): create a post, a reply, a quote or a poll post; edit (a new version of an own post);
 * delete (a whole edit chain, with the reposts of it); hide a reply. Text is weighed, validated and given its
 * entities by twitter-text (util/text.ts); replies follow reply_settings and the summoned-reply rule; the same text
 * twice within DUPLICATE_WINDOW_MS is refused. Each write runs in one unit of work (domain/write.ts) and changes
 * the counters it implies (author's tweet_count, parent's reply_count, quoted post's quote_count, …).
 */
import type { RequestBodies } from '@roost/contract';
import type { Repos } from '../data/index.js';
import { newPostRow, type PostExtras, type PostRow, type UserRow } from '../data/rows.js';
import { Forbidden, InvalidRequest } from '../errors.js';
import { judgePost } from '../pipeline/render.js';
import { EDIT_WINDOW_MS, MAX_EDITS } from '../pipeline/present.js';
import { detectLang } from '../util/lang.js';
import { analyzeText, displayPrefix, MAX_LONG_POST_CHARS, MAX_WEIGHTED_LENGTH, withMentionIds } from '../util/text.js';
import { snowflakeAt, SNOWFLAKE_EPOCH_MS } from '../util/snowflake.js';
import { attachableMediaKeys, type MediaContext } from './media.js';
import { refuse, write, type DomainContext, type Refusal } from './write.js';

/** What POST /2/tweets carries (validated against the contract before it gets here). */
export type PostDraft = RequestBodies['createPosts'];

export type PostingContext = DomainContext & MediaContext;

/** Self-serve API replies must be "summoned" (FACTS §10, since 2026-02). Kept on, as X does. */
export const SUMMONED_REPLIES_ONLY = true;

/** How far back an author's posts count for the duplicate-content check (X does not publish its window). */
export const DUPLICATE_WINDOW_MS = 24 * 60 * 60 * 1000;

export const REPLY_NOT_ALLOWED =
  'Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the author of the post you are replying to.';
export const DUPLICATE_CONTENT = 'You are not allowed to create a Tweet with duplicate content.';
export const REPLY_TO_MISSING = 'You attempted to reply to a Tweet that is deleted or not visible to you.';
export const NOT_A_MEMBER = 'You are not permitted to create a Post in this Community: only its members can post or reply there.';
export const TOO_LONG = 'Your Tweet text is too long. For more information on how X determines text length, see https://github.com/twitter/twitter-text.';

const duplicateFloor = (now: number) => snowflakeAt(Math.max(SNOWFLAKE_EPOCH_MS, now - DUPLICATE_WINDOW_MS));

const invalid = (param: string, values: string[], message: string) => InvalidRequest.one(param, values, message);

/** A post as created: its id, the stored (displayed) text and its edit history, oldest first. */
export interface CreatedPost {
  id: string;
  text: string;
  editHistory: string[];
}

interface Prepared {
  text: string;
  entities: PostRow['entities'];
  mentionIds: string[];
  /** Long posts: the full text and its entities (`note_tweet`); `text` then holds the displayed prefix. */
  note: { text: string; entities: PostRow['entities'] } | null;
}

/** X Premium (long posts) is what a verified account has. */
const mayPostLong = (u: UserRow) => u.verified && u.verifiedType !== 'none';

/** Text rules: weighted length, emptiness, cashtags; URLs wrapped and entities extracted with mention ids. */
async function prepare(repos: Repos, text: string, hasAttachment: boolean, author: UserRow): Promise<Prepared> {
  if (text.trim() === '') {
    if (!hasAttachment) throw invalid('text', [text], 'Post text must not be empty when no media, poll, quote or card is attached.');
    return { text, entities: null, mentionIds: [], note: null };
  }
  // One twitter-text pass: weighed, checked, wrapped and given its entities.
  const p = analyzeText(text);
  const long = p.weightedLength > MAX_WEIGHTED_LENGTH;
  if (long && (!mayPostLong(author) || Array.from(text).length > MAX_LONG_POST_CHARS)) throw invalid('text', [text], TOO_LONG);
  if (!long && !p.valid) throw invalid('text', [text], 'Your Tweet text contains characters that are not allowed.');
  if (long && /[\uFFFE\uFEFF\uFFFF]/.test(text)) throw invalid('text', [text], 'Your Tweet text contains characters that are not allowed.');
  if (p.cashtagCount > 1) throw new Forbidden('Posts created through the API may contain at most one cashtag.');
  const users = await repos.users.byUsernames(p.mentionedUsernames);
  const ids = new Map<string, string>();
  for (const [name, u] of users) if (!u.suspended) ids.set(name, u.id);
  const entities = withMentionIds(p.entities, ids);
  const mentionIds = [...new Set(ids.values())];
  if (!long) return { text: p.text, entities, mentionIds, note: null };
  const shown = displayPrefix(p.text, entities);
  return { text: shown.text, entities: shown.entities, mentionIds, note: { text: p.text, entities } };
}

/** The row columns that follow from the prepared text: displayed text, note, entities, detected language. */
function textColumns(t: Prepared): Pick<PostRow, 'text' | 'entities' | 'noteText' | 'noteEntities' | 'lang'> {
  return {
    text: t.text,
    entities: t.entities,
    noteText: t.note?.text ?? null,
    noteEntities: t.note?.entities ?? null,
    lang: detectLang(t.note?.text ?? t.text, t.note?.entities ?? t.entities),
  };
}

/** A post the author may point at (reply, quote): live, author not suspended, visible to them, no block between. */
async function visibleTo(repos: Repos, me: string, id: string): Promise<{ post: PostRow; author: UserRow } | null> {
  const { verdict, post, author } = await judgePost({ repos, viewer: { userId: me } }, id);
  // A repost cannot be replied to or quoted: its original can.
  if (verdict !== 'ok' || post!.repostedPostId) return null;
  return { post: post!, author: author! };
}

const mentions = (p: PostRow | undefined, me: UserRow) =>
  !!p?.entities?.mentions?.some((m) => m.id === me.id || m.username.toLowerCase() === me.username.toLowerCase());

/**
 * Reply permission: the root's reply_settings, then the summoned-reply rule. The replier is always allowed in
 * their own conversation and under their own posts.
 */
async function assertMayReply(repos: Repos, me: UserRow, parent: PostRow, parentAuthor: UserRow): Promise<void> {
  const root = parent.conversationId === parent.id ? parent : (await repos.posts.byIds([parent.conversationId])).get(parent.conversationId);
  const rootAuthorId = root?.authorId ?? parentAuthor.id;
  if (me.id === rootAuthorId || me.id === parentAuthor.id) return;
  const mentionedInRoot = mentions(root, me);
  const settings = root?.replySettings ?? 'everyone';
  let allowed = true;
  if (settings === 'mentionedUsers' || settings === 'subscribers') allowed = mentionedInRoot;
  else if (settings === 'following') allowed = mentionedInRoot || (await repos.edges.followPairs([[rootAuthorId, me.id]])).size > 0;
  else if (settings === 'verified') allowed = mentionedInRoot || me.verified;
  if (!allowed) throw new Forbidden(REPLY_NOT_ALLOWED);
  // A Community's conversations take replies from its members only.
  const community = root?.extras?.community_id;
  if (community && !(await repos.communities.isMember(community, me.id))) throw new Forbidden(NOT_A_MEMBER);
  if (!SUMMONED_REPLIES_ONLY) return;
  // Summoned: the author of the post replied to mentioned the replier (there or in the root), or quoted them.
  if (mentions(parent, me) || mentionedInRoot) return;
  if (parent.quotedPostId) {
    const q = (await repos.posts.byIds([parent.quotedPostId])).get(parent.quotedPostId);
    if (q?.authorId === me.id) return;
  }
  if (await repos.posts.hasQuoted(parentAuthor.id, me.id)) return;
  throw new Forbidden(REPLY_NOT_ALLOWED);
}

function checkExclusions(b: PostDraft): void {
  const present = (k: keyof PostDraft) => b[k] !== undefined;
  if (present('quote_tweet_id')) {
    for (const k of ['media', 'poll', 'card_uri'] as const) {
      if (present(k)) throw invalid(k, [], `\`quote_tweet_id\` and \`${k}\` are mutually exclusive.`);
    }
  }
  if (present('card_uri')) {
    for (const k of ['media', 'poll', 'direct_message_deep_link'] as const) {
      if (present(k)) throw invalid(k, [], `\`card_uri\` and \`${k}\` are mutually exclusive.`);
    }
  }
  if (present('poll') && present('media')) throw invalid('poll', [], '`poll` and `media` are mutually exclusive.');
  if (b.poll && new Set(b.poll.options.map((o) => o.trim().toLowerCase())).size !== b.poll.options.length) {
    throw invalid('poll.options', b.poll.options, 'Poll options must be unique.');
  }
}

async function placeFor(repos: Repos, geo: PostDraft['geo']): Promise<string | null> {
  if (!geo) return null;
  const places = await repos.attachments.placesByIds([geo.place_id]);
  if (!places.has(geo.place_id)) throw invalid('geo.place_id', [geo.place_id], `The \`geo.place_id\` value [${geo.place_id}] is not valid`);
  return geo.place_id;
}

/** Inside a unit of work: everything, the media checks included, reads through the unit's repositories `r`. */
const mediaKeysOf = (ctx: PostingContext, r: Repos, me: string, media: NonNullable<PostDraft['media']>) =>
  attachableMediaKeys({ ...ctx, repos: r }, me, media.media_ids, media.tagged_user_ids ?? []);

/** The create options X keeps on the post without a column of their own. */
function extrasOf(b: PostDraft): PostExtras | null {
  const e: PostExtras = {};
  if (b.card_uri !== undefined) e.card_uri = b.card_uri;
  if (b.community_id !== undefined) e.community_id = b.community_id;
  if (b.paid_partnership !== undefined) e.paid_partnership = b.paid_partnership;
  if (b.made_with_ai !== undefined) e.made_with_ai = b.made_with_ai;
  if (b.nullcast !== undefined) e.nullcast = b.nullcast;
  if (b.for_super_followers_only !== undefined) e.for_super_followers_only = b.for_super_followers_only;
  if (b.direct_message_deep_link !== undefined) e.direct_message_deep_link = b.direct_message_deep_link;
  if (b.share_with_followers !== undefined) e.share_with_followers = b.share_with_followers;
  if (b.reply?.exclude_reply_user_ids?.length) e.exclude_reply_user_ids = b.reply.exclude_reply_user_ids;
  if (b.media?.tagged_user_ids?.length) e.tagged_user_ids = b.media.tagged_user_ids;
  return Object.keys(e).length ? e : null;
}

/** Posting into a Community: it must exist, and only its members may post there. */
async function assertMayPostIn(repos: Repos, me: string, communityId: string): Promise<void> {
  if (!(await repos.communities.byIds([communityId])).has(communityId)) {
    throw invalid('community_id', [communityId], `The \`community_id\` value [${communityId}] is not a Community.`);
  }
  if (!(await repos.communities.isMember(communityId, me))) throw new Forbidden(NOT_A_MEMBER);
}

/** Refuses a live post of the author with this text in the window (the author's writes are serialised). */
async function assertNotDuplicate(r: Repos, me: string, text: string, now: number, exceptChain?: string): Promise<void> {
  await r.social.lockUser(me);
  if (text.trim() !== '' && (await r.posts.hasDuplicate(me, text, duplicateFloor(now), exceptChain))) throw new Forbidden(DUPLICATE_CONTENT);
}

/**
 * What another write that publishes through a post adds to it (an article): options kept on the post, and a step of
 * its own run in the post's unit of work with the new post's id (a throw there rolls the post back).
 */
export interface PostingExtension {
  extras: PostExtras;
  within(r: Repos, postId: string): Promise<void>;
}

/** An author who may post: exists and is not suspended. */
async function activeAuthor(repos: Repos, meId: string): Promise<UserRow> {
  const me = (await repos.users.byIds([meId])).get(meId);
  if (!me || me.suspended) throw new Forbidden('You are not permitted to perform this action.');
  return me;
}

/**
 * Creates a post (or, with `edit_options.previous_post_id`, a new version of one) for `meId`. Every check runs in
 * the unit of work, so it sees the writes queued before it (a parent deleted by an earlier unit of the batch).
 */
export async function createPost(ctx: PostingContext, meId: string, b: PostDraft, ext?: PostingExtension): Promise<CreatedPost> {
  if (b.edit_options) return editPost(ctx, meId, b, b.edit_options.previous_post_id);
  return write(ctx, async (r, out) => {
    const me = await activeAuthor(r, meId);
    checkExclusions(b);
    const now = ctx.clock.now();
    const hasAttachment = b.media !== undefined || b.poll !== undefined || b.quote_tweet_id !== undefined || b.card_uri !== undefined;
    const text = await prepare(r, b.text ?? '', hasAttachment, me);

    let parent: { post: PostRow; author: UserRow } | null = null;
    if (b.reply) {
      parent = await visibleTo(r, me.id, b.reply.in_reply_to_tweet_id);
      if (!parent) throw new Forbidden(REPLY_TO_MISSING);
      await assertMayReply(r, me, parent.post, parent.author);
    }
    let quoted: { post: PostRow; author: UserRow } | null = null;
    if (b.quote_tweet_id) {
      quoted = await visibleTo(r, me.id, b.quote_tweet_id);
      if (!quoted) throw invalid('quote_tweet_id', [b.quote_tweet_id], `Could not find tweet with quote_tweet_id: [${b.quote_tweet_id}].`);
    }
    if (b.community_id !== undefined) await assertMayPostIn(r, me.id, b.community_id);
    const mediaKeys = b.media ? await mediaKeysOf(ctx, r, me.id, b.media) : null;
    const placeId = await placeFor(r, b.geo);

    const id = ctx.ids.next();
    const poll = b.poll
      ? { id: ctx.ids.next(), options: b.poll.options.map((label) => ({ label, votes: 0 })), durationMinutes: b.poll.duration_minutes, endAt: now + b.poll.duration_minutes * 60_000 }
      : null;
    const row: PostRow = {
      ...newPostRow(id, me.id, now),
      ...textColumns(text),
      conversationId: parent ? parent.post.conversationId : id,
      inReplyToPostId: parent ? parent.post.id : null,
      inReplyToUserId: parent ? parent.author.id : null,
      quotedPostId: quoted ? quoted.post.id : null,
      replySettings: b.reply_settings ?? b.poll?.reply_settings ?? 'everyone',
      mediaKeys,
      pollId: poll ? poll.id : null,
      placeId,
      extras: ext ? { ...extrasOf(b), ...ext.extras } : extrasOf(b),
    };
    if (ext) await ext.within(r, id);
    await assertNotDuplicate(r, me.id, row.text, now);
    if (poll) await r.attachments.insertPolls([poll]);
    await r.posts.insertOne(row);
    await r.users.recordNewPost(me.id, id);
    if (parent) await r.posts.adjustCounters(parent.post.id, { reply_count: 1 });
    if (quoted) await r.posts.adjustCounters(quoted.post.id, { quote_count: 1 });
    await r.mentions.insert(id, text.mentionIds);
    out.emit({ type: 'post.created', postId: id, authorId: me.id, at: now });
    return { id, text: row.text, editHistory: [id] };
  });
}

async function editPost(ctx: PostingContext, meId: string, b: PostDraft, previousId: string): Promise<CreatedPost> {
  return write(ctx, async (r, out) => {
    const me = await activeAuthor(r, meId);
    for (const k of ['reply', 'quote_tweet_id', 'poll'] as const) {
      if (b[k] !== undefined) throw invalid(k, [], `\`${k}\` cannot be changed by an edit.`);
    }
    checkExclusions(b);
    const prev = (await r.posts.byIds([previousId])).get(previousId);
    if (!prev || prev.deleted) {
      throw invalid('edit_options.previous_post_id', [previousId], `Could not find tweet with edit_options.previous_post_id: [${previousId}].`);
    }
    if (prev.authorId !== me.id) throw new Forbidden('You are not allowed to edit a Tweet that you did not author.');
    const eligible = !prev.repostedPostId && !prev.pollId && !(prev.inReplyToUserId && prev.inReplyToUserId !== me.id);
    if (!eligible) throw new Forbidden('This Tweet is not eligible for editing.');
    const root = prev.editRootId === prev.id ? prev : (await r.posts.byIds([prev.editRootId])).get(prev.editRootId)!;
    const chain = (await r.posts.editChains([root.id])).get(root.id) ?? [root.id];
    if (chain[chain.length - 1] !== prev.id) throw new Forbidden('Only the latest version of a Tweet can be edited.');
    const now = ctx.clock.now();
    // The window runs from the first version (30 minutes, FACTS §10 product rule; see docs/posts-write.md).
    if (now > root.createdAt + EDIT_WINDOW_MS) throw new Forbidden('The edit window for this Tweet has passed.');
    if (root.editCount >= MAX_EDITS || chain.length > MAX_EDITS) throw new Forbidden('This Tweet has been edited the maximum number of times.');

    const mediaKeys = b.media ? await mediaKeysOf(ctx, r, me.id, b.media) : prev.mediaKeys;
    const text = await prepare(r, b.text ?? '', !!mediaKeys?.length || !!prev.quotedPostId || b.card_uri !== undefined, me);
    const placeId = b.geo ? await placeFor(r, b.geo) : prev.placeId;
    await assertNotDuplicate(r, me.id, text.text, now, root.id);
    const id = ctx.ids.next();
    const row: PostRow = {
      ...newPostRow(id, me.id, now),
      ...textColumns(text),
      conversationId: prev.conversationId,
      inReplyToPostId: prev.inReplyToPostId,
      inReplyToUserId: prev.inReplyToUserId,
      quotedPostId: prev.quotedPostId,
      editRootId: root.id,
      replySettings: b.reply_settings ?? prev.replySettings,
      mediaKeys,
      placeId,
      extras: prev.extras ?? null,
    };
    await r.posts.insertOne(row);
    await r.posts.markSuperseded(prev.id);
    await r.posts.bumpEditCount(root.id);
    await r.mentions.insert(id, text.mentionIds);
    await r.users.setMostRecentPost(me.id, id);
    out.emit({ type: 'post.edited', postId: id, previousId: prev.id, authorId: me.id, at: now });
    return { id, text: row.text, editHistory: [...chain, id] };
  });
}

/**
 * Deletes an own post: any version deletes the whole edit chain; reposts of it vanish with it; replies keep their
 * in_reply_to. False when there is nothing to delete (never existed, or already gone). Publishes `post.deleted`
 * per version and `repost.deleted` per vanished repost: each is a post that stream consumers saw.
 */
export async function deletePost(ctx: DomainContext, me: string, id: string): Promise<boolean> {
  return write(ctx, async (r, out) => {
    const post = (await r.posts.byIds([id])).get(id);
    if (!post || post.deleted) return false;
    if (post.authorId !== me) throw new Forbidden('You are not allowed to delete a Tweet that you did not author.');

    const versions = post.repostedPostId ? [post.id] : ((await r.posts.editChains([post.editRootId])).get(post.editRootId) ?? [post.id]);
    const root = post.editRootId === post.id ? post : ((await r.posts.byIds([post.editRootId])).get(post.editRootId) ?? post);
    const now = ctx.clock.now();
    const reposts = post.repostedPostId ? [] : await r.posts.liveRepostsOfAny(versions);

    const gone = [...versions, ...reposts.map((x) => x.id)];
    await r.posts.markDeleted(gone);
    // One post in the author's count per chain (edits never added to it).
    await r.users.adjustCounters(me, { tweet_count: -1 });
    if (post.repostedPostId) await r.posts.adjustCounters(post.repostedPostId, { retweet_count: -1 });
    if (root.inReplyToPostId) await r.posts.adjustCounters(root.inReplyToPostId, { reply_count: -1 });
    if (root.quotedPostId) await r.posts.adjustCounters(root.quotedPostId, { quote_count: -1 });
    for (const x of reposts) await r.users.adjustCounters(x.authorId, { tweet_count: -1 });
    // Keep most_recent_post_id pointing at a live post for everyone who lost one.
    const goneSet = new Set(gone);
    const owners = [...new Set([me, ...reposts.map((x) => x.authorId)])];
    const users = await r.users.byIds(owners);
    for (const u of users.values()) {
      if (u.mostRecentPostId === null || !goneSet.has(u.mostRecentPostId)) continue;
      const [latest] = await r.posts.idsByAuthor({ authorId: u.id, limit: 1 });
      await r.users.setMostRecentPost(u.id, latest ?? null);
    }
    for (const v of versions) out.emit({ type: 'post.deleted', postId: v, authorId: me, at: now });
    for (const x of reposts) out.emit({ type: 'repost.deleted', userId: x.authorId, postId: post.id, repostId: x.id, at: now });
    return true;
  });
}

/** The conversation root's author hides or unhides a reply; publishes only when the flag changed. */
export async function hideReply(ctx: DomainContext, me: string, id: string, hidden: boolean): Promise<Refusal | { hidden: boolean }> {
  return write(ctx, async (r, out) => {
    const post = (await r.posts.byIds([id])).get(id);
    if (!post || post.deleted) return refuse('post-missing', id);
    if (!post.inReplyToPostId) throw new Forbidden('You can only hide or unhide replies.');
    const root = (await r.posts.byIds([post.conversationId])).get(post.conversationId);
    if (!root || root.authorId !== me) throw new Forbidden('You can only hide or unhide replies in conversations you started.');
    if (post.hidden !== hidden) {
      await r.posts.setHidden(id, hidden);
      out.emit({ type: 'post.hidden', postId: id, hidden, at: ctx.clock.now() });
    }
    return { hidden };
  });
}
