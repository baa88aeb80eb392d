/**
 * POST /2/tweets: create a post, a reply, a quote, a poll post, or — with `edit_options.previous_post_id` — a new
 * version of an own post (FACTS §9, §10).
 */
import { meter } from '../../limits/metering.js';
import type { RequestBodies } from '@roost/contract';
import { operation, type OperationRequest } from '../operation.js';
import type { Repos } from '../../data/index.js';
import { newPostRow, type PostExtras, type PostRow, type UserRow } from '../../data/rows.js';
import { Forbidden, InvalidRequest, Unauthorized } from '../../errors.js';
import { postVerdict } from '../../pipeline/rules.js';
import { EDIT_WINDOW_MS, MAX_EDITS } from '../../pipeline/present.js';
import { detectLang } from '../../util/lang.js';
import { checkText, displayPrefix, MAX_LONG_POST_CHARS, MAX_WEIGHTED_LENGTH, prepareText, withMentionIds } from '../../util/text.js';
import { snowflakeAt, SNOWFLAKE_EPOCH_MS } from '../../util/snowflake.js';

export type CreatePostsBody = RequestBodies['createPosts'];

/** Self-serve API replies must be "summoned" (FACTS §10, since 2026-02). Kept on, as X does. */
export const SUMMONED_REPLIES_ONLY = true;

/** How far back an author's posts count for the duplicate-content check (X does not publish its window). */
export const DUPLICATE_WINDOW_MS = 24 * 60 * 60 * 1000;

export const REPLY_NOT_ALLOWED =
  'Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the author of the post you are replying to.';
export const DUPLICATE_CONTENT = 'You are not allowed to create a Tweet with duplicate content.';
export const REPLY_TO_MISSING = 'You attempted to reply to a Tweet that is deleted or not visible to you.';
export const TOO_LONG = 'Your Tweet text is too long. For more information on how X determines text length, see https://github.com/twitter/twitter-text.';
export const MEDIA_INVALID = 'Your media IDs are invalid.';

const duplicateFloor = (now: number) => snowflakeAt(Math.max(SNOWFLAKE_EPOCH_MS, now - DUPLICATE_WINDOW_MS));

const invalid = (param: string, values: string[], message: string) => InvalidRequest.one(param, values, message);

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
  const check = checkText(text);
  const long = check.weightedLength > MAX_WEIGHTED_LENGTH;
  if (long && (!mayPostLong(author) || Array.from(text).length > MAX_LONG_POST_CHARS)) throw invalid('text', [text], TOO_LONG);
  if (!long && !check.valid) throw invalid('text', [text], 'Your Tweet text contains characters that are not allowed.');
  if (long && /[\uFFFE\uFEFF\uFFFF]/.test(text)) throw invalid('text', [text], 'Your Tweet text contains characters that are not allowed.');
  const p = prepareText(text);
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
  const post = (await repos.posts.byIds([id])).get(id);
  const author = post && (await repos.users.byIds([post.authorId])).get(post.authorId);
  if (!post || !author || post.repostedPostId) return null;
  const follows = author.protected && author.id !== me ? await repos.edges.followPairs([[me, author.id]]) : new Set<string>();
  if (postVerdict({ userId: me }, post, author, { follows }) !== 'ok') return null;
  if (author.id !== me && (await repos.social.blockedEitherWay(me, author.id))) return null;
  return { post, author };
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

/**
 * Media rules: every id exists and may be used by the author (owner or `additional_owners`); uploads must have
 * finished processing successfully and not have expired; up to 4 photos, or exactly one video or GIF.
 */
async function mediaKeysFor(ctx: OperationRequest['ctx'], me: string, media: NonNullable<CreatePostsBody['media']>): Promise<string[]> {
  const repos = ctx.repos;
  const ids = media.media_ids;
  const [rows, uploads] = await Promise.all([repos.attachments.mediaByIds(ids), repos.mediaUploads.byIds(ids)]);
  const now = ctx.clock.now();
  const usable = (id: string): boolean => {
    const m = rows.get(id);
    if (!m) return false;
    const u = uploads.get(id);
    if (!u) return m.ownerId === me;
    return (u.ownerId === me || u.additionalOwners.includes(me)) && ctx.media.isReady(u, now) && now < u.expiresAt;
  };
  if (ids.some((i) => !usable(i)) || new Set(ids).size !== ids.length) {
    throw invalid('media.media_ids', ids, MEDIA_INVALID);
  }
  const found = ids.map((i) => rows.get(i)!);
  const kinds = found.map((m) => m.type);
  if (kinds.some((k) => k !== 'photo') && kinds.length > 1) {
    throw invalid('media.media_ids', ids, 'A post may have up to 4 photos, or one video or animated GIF.');
  }
  const tagged = media.tagged_user_ids ?? [];
  if (tagged.length) {
    if (kinds.some((k) => k !== 'photo')) throw invalid('media.tagged_user_ids', tagged, 'Users can only be tagged in photos.');
    const users = await repos.users.byIds(tagged);
    const missing = tagged.filter((t) => !users.has(t));
    if (missing.length) throw invalid('media.tagged_user_ids', missing, `The \`media.tagged_user_ids\` value [${missing.join(',')}] is not valid`);
  }
  return found.map((m) => m.mediaKey);
}

function checkExclusions(b: CreatePostsBody): void {
  const present = (k: keyof CreatePostsBody) => b[k] !== undefined;
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

async function placeFor(repos: Repos, geo: CreatePostsBody['geo']): Promise<string | null> {
  if (!geo) return null;
  const places = await repos.attachments.placesByIds([geo.place_id]);
  if (!places.has(geo.place_id)) throw invalid('geo.place_id', [geo.place_id], `The \`geo.place_id\` value [${geo.place_id}] is not valid`);
  return geo.place_id;
}


async function edit(req: OperationRequest, me: UserRow, b: CreatePostsBody, previousId: string) {
  const { ctx } = req;
  const repos = ctx.repos;
  for (const k of ['reply', 'quote_tweet_id', 'poll'] as const) {
    if (b[k] !== undefined) throw invalid(k, [], `\`${k}\` cannot be changed by an edit.`);
  }
  checkExclusions(b);
  const prev = (await repos.posts.byIds([previousId])).get(previousId);
  if (!prev || prev.deleted) {
    throw invalid('edit_options.previous_post_id', [previousId], `Could not find tweet with edit_options.previous_post_id: [${previousId}].`);
  }
  if (prev.authorId !== me.id) throw new Forbidden('You are not allowed to edit a Tweet that you did not author.');
  const eligible = !prev.repostedPostId && !prev.pollId && !(prev.inReplyToUserId && prev.inReplyToUserId !== me.id);
  if (!eligible) throw new Forbidden('This Tweet is not eligible for editing.');
  const root = prev.editRootId === prev.id ? prev : (await repos.posts.byIds([prev.editRootId])).get(prev.editRootId)!;
  const chain = (await repos.posts.editChains([root.id])).get(root.id) ?? [root.id];
  if (chain[chain.length - 1] !== prev.id) throw new Forbidden('Only the latest version of a Tweet can be edited.');
  const now = ctx.clock.now();
  // The window runs from the first version (30 minutes, FACTS §10 product rule; see docs/posts-write.md).
  if (now > root.createdAt + EDIT_WINDOW_MS) throw new Forbidden('The edit window for this Tweet has passed.');
  if (root.editCount >= MAX_EDITS || chain.length > MAX_EDITS) throw new Forbidden('This Tweet has been edited the maximum number of times.');

  const mediaKeys = b.media ? await mediaKeysFor(ctx, me.id, b.media) : prev.mediaKeys;
  const text = await prepare(repos, b.text ?? '', !!mediaKeys?.length || !!prev.quotedPostId || b.card_uri !== undefined, me);
  const placeId = b.geo ? await placeFor(repos, b.geo) : prev.placeId;
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
  await repos.transaction(async (r) => {
    await r.social.lockUser(me.id);
    if (row.text.trim() !== '' && (await r.posts.hasDuplicate(me.id, row.text, duplicateFloor(now), root.id))) {
      throw new Forbidden(DUPLICATE_CONTENT);
    }
    await r.posts.insertOne(row);
    await r.posts.markSuperseded(prev.id);
    await r.posts.bumpEditCount(root.id);
    await r.mentions.insert(id, text.mentionIds);
    await r.users.setMostRecentPost(me.id, id);
  });
  ctx.bus.publish({ type: 'post.edited', postId: id, previousId: prev.id, authorId: me.id, at: now });
  return { status: 201, body: { data: { id, text: row.text, edit_history_tweet_ids: [...chain, id] } } };
}

export const createPosts = operation({
  operationId: 'createPosts',
  rateLimit: { user: 100, app24h: 10_000 },
  metering: meter.postCreate,
  async handle(req) {
    const { ctx } = req;
    const repos = ctx.repos;
    const meId = req.principal?.userId;
    if (!meId) throw new Unauthorized();
    const b = req.body;
    const me = (await repos.users.byIds([meId])).get(meId);
    if (!me || me.suspended) throw new Forbidden('You are not permitted to perform this action.');
    if (b.edit_options) return edit(req, me, b, b.edit_options.previous_post_id);

    checkExclusions(b);
    const now = ctx.clock.now();
    const hasAttachment = b.media !== undefined || b.poll !== undefined || b.quote_tweet_id !== undefined || b.card_uri !== undefined;
    const text = await prepare(repos, b.text ?? '', hasAttachment, me);

    let parent: { post: PostRow; author: UserRow } | null = null;
    if (b.reply) {
      parent = await visibleTo(repos, me.id, b.reply.in_reply_to_tweet_id);
      if (!parent) throw new Forbidden(REPLY_TO_MISSING);
      await assertMayReply(repos, me, parent.post, parent.author);
    }
    let quoted: { post: PostRow; author: UserRow } | null = null;
    if (b.quote_tweet_id) {
      quoted = await visibleTo(repos, me.id, b.quote_tweet_id);
      if (!quoted) {
        throw invalid('quote_tweet_id', [b.quote_tweet_id], `Could not find tweet with quote_tweet_id: [${b.quote_tweet_id}].`);
      }
    }
    const mediaKeys = b.media ? await mediaKeysFor(ctx, me.id, b.media) : null;
    const placeId = await placeFor(repos, b.geo);

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
      extras: extrasOf(b),
    };

    await repos.transaction(async (r) => {
      await r.social.lockUser(me.id);
      if (row.text.trim() !== '' && (await r.posts.hasDuplicate(me.id, row.text, duplicateFloor(now)))) {
        throw new Forbidden(DUPLICATE_CONTENT);
      }
      if (poll) await r.attachments.insertPolls([poll]);
      await r.posts.insertOne(row);
      await r.users.recordNewPost(me.id, id);
      if (parent) await r.posts.adjustCounters(parent.post.id, { reply_count: 1 });
      if (quoted) await r.posts.adjustCounters(quoted.post.id, { quote_count: 1 });
      await r.mentions.insert(id, text.mentionIds);
    });
    ctx.bus.publish({ type: 'post.created', postId: id, authorId: me.id, at: now });
    return { status: 201, body: { data: { id, text: row.text, edit_history_tweet_ids: [id] } } };
  },
});

/** The create options X keeps on the post without a column of their own. */
function extrasOf(b: CreatePostsBody): PostExtras | null {
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
