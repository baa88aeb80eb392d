/**
 * Webhook payloads as pure views of rows (no loading here; delivery/fanout.ts hydrates and judges first).
 *
 * - Account Activity (FACTS §12.3): `{"for_user_id", "<type>_events": [...]}` with X's v1.1 Tweet and User objects
 *   (created_at like `Wed Oct 10 20:19:24 +0000 2018`, `id` numbers written digit for digit next to `id_str`,
 *   entities with `indices`, `extended_tweet` for text over 140 characters, edit metadata).
 * - Direct Messages (X's v1.1 DM event shapes): `direct_message_events` (`message_create`),
 *   `direct_message_indicate_typing_events` and `direct_message_mark_read_events`, each with the `users` map of
 *   the people it names (sender and recipient, keyed by id).
 * - X Activity API: `{"data": {event_uuid, filter, event_type, tag, payload, includes}}`.
 * - Replay completion: `{"replay_job_status": {...}}`.
 */
import { legacyTime } from '../util/legacy-time.js';
import type { ChatEventRow } from '../data/chats.js';
import type { MediaRow, MentionEntity, PostEntities, PostRow, TagEntity, UrlEntity, UserRow } from '../data/rows.js';
import { EDIT_WINDOW_MS, MAX_EDITS } from '../pipeline/present.js';

// ---- exact integers in JSON ----

const EXACT = '\u0000int:';

/** An integer written digit for digit in JSON (ids beyond 2^53 as X writes them). */
export const exactInt = (digits: string): string => `${EXACT}${digits}`;

/** JSON text of a payload, with `exactInt` values as bare numbers. */
export function payloadJson(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000int:(\d+)"/g, '$1');
}

// ---- v1.1 objects ----

export function legacyUser(u: UserRow): Record<string, unknown> {
  return {
    id: exactInt(u.id),
    id_str: u.id,
    name: u.name,
    screen_name: u.username,
    location: u.location,
    url: u.url,
    description: u.description,
    protected: u.protected,
    verified: u.verified,
    followers_count: u.followersCount,
    friends_count: u.followingCount,
    listed_count: u.listedCount,
    favourites_count: u.likeCount,
    statuses_count: u.tweetCount,
    created_at: legacyTime(u.createdAt),
    profile_image_url_https: u.profileImageUrl,
    ...(u.profileBannerUrl ? { profile_banner_url: u.profileBannerUrl } : {}),
    default_profile_image: false,
    ...(u.withheld ? { withheld_in_countries: u.withheld.country_codes } : {}),
  };
}

/** What a v1.1 Tweet object refers to, already loaded. */
export interface LegacyRefs {
  posts: ReadonlyMap<string, PostRow>;
  users: ReadonlyMap<string, UserRow>;
  usersByName: ReadonlyMap<string, UserRow>;
  media: ReadonlyMap<string, MediaRow>;
  editChains: ReadonlyMap<string, string[]>;
}

const COMPAT_LENGTH = 140;

const indices = (e: { start: number; end: number }) => [e.start, e.end];

function legacyEntities(e: PostEntities | null, refs: Pick<LegacyRefs, 'users' | 'usersByName'>, upTo = Infinity): Record<string, unknown> {
  const within = <T extends { end: number }>(xs: T[] | undefined): T[] => (xs ?? []).filter((x) => x.end <= upTo);
  const tag = (t: TagEntity) => ({ text: t.tag, indices: indices(t) });
  const mention = (m: MentionEntity) => {
    const u = (m.id && refs.users.get(m.id)) || refs.usersByName.get(m.username.toLowerCase());
    return { screen_name: m.username, name: u?.name ?? m.username, ...(u ? { id: exactInt(u.id), id_str: u.id } : {}), indices: indices(m) };
  };
  const url = (x: UrlEntity) => ({ url: x.url, expanded_url: x.expanded_url, display_url: x.display_url, indices: indices(x) });
  return {
    hashtags: within(e?.hashtags).map(tag),
    urls: within(e?.urls).filter((x) => !x.media_key).map(url),
    user_mentions: within(e?.mentions).map(mention),
    symbols: within(e?.cashtags).map(tag),
  };
}

function legacyMedia(keys: readonly string[], refs: Pick<LegacyRefs, 'media'>): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const k of keys) {
    const m = refs.media.get(k);
    if (!m) continue;
    const image = m.url ?? m.previewImageUrl;
    out.push({
      id: exactInt(m.id),
      id_str: m.id,
      media_key: m.mediaKey,
      type: m.type,
      ...(image ? { media_url_https: image } : {}),
      ...(m.width && m.height ? { sizes: { large: { w: m.width, h: m.height, resize: 'fit' } } } : {}),
      ...(m.variants ? { video_info: { ...(m.durationMs ? { duration_millis: m.durationMs } : {}), variants: m.variants } } : {}),
      ...(m.altText ? { ext_alt_text: m.altText } : {}),
    });
  }
  return out;
}

/** X's v1.1 Tweet object (as the Account Activity API and the v1.1 streams carry it). */
export function legacyTweet(p: PostRow, refs: LegacyRefs, depth = 0): Record<string, unknown> {
  const author = refs.users.get(p.authorId);
  const chars = [...p.text];
  const truncated = chars.length > COMPAT_LENGTH;
  const replyTo = p.inReplyToUserId ? refs.users.get(p.inReplyToUserId) : undefined;
  const media = p.mediaKeys?.length ? legacyMedia(p.mediaKeys, refs) : [];
  const chain = (p.editRootId !== p.id || p.editCount > 0 ? refs.editChains.get(p.editRootId) : undefined) ?? [p.id];
  const eligible = !p.repostedPostId && !p.pollId && !(p.inReplyToUserId && p.inReplyToUserId !== p.authorId);
  const out: Record<string, unknown> = {
    created_at: legacyTime(p.createdAt),
    id: exactInt(p.id),
    id_str: p.id,
    text: truncated ? chars.slice(0, COMPAT_LENGTH).join('') : p.text,
    display_text_range: [0, Math.min(chars.length, COMPAT_LENGTH)],
    source: p.source ?? '<a href="https://roost.local" rel="nofollow">Roost</a>',
    truncated,
    in_reply_to_status_id: p.inReplyToPostId ? exactInt(p.inReplyToPostId) : null,
    in_reply_to_status_id_str: p.inReplyToPostId,
    in_reply_to_user_id: p.inReplyToUserId ? exactInt(p.inReplyToUserId) : null,
    in_reply_to_user_id_str: p.inReplyToUserId,
    in_reply_to_screen_name: replyTo?.username ?? null,
    ...(author ? { user: legacyUser(author) } : {}),
    geo: null,
    coordinates: p.geoCoordinates ? { type: 'Point', coordinates: p.geoCoordinates } : null,
    place: null,
    contributors: null,
    is_quote_status: p.quotedPostId !== null,
    quote_count: p.quoteCount,
    reply_count: p.replyCount,
    retweet_count: p.retweetCount,
    favorite_count: p.likeCount,
    entities: legacyEntities(p.entities, refs, truncated ? COMPAT_LENGTH : Infinity),
    favorited: false,
    retweeted: false,
    possibly_sensitive: p.possiblySensitive,
    filter_level: 'low',
    lang: p.lang,
    timestamp_ms: String(p.createdAt),
    edit_history: { initial_tweet_id: chain[0], edit_tweet_ids: chain },
    edit_controls: {
      edits_remaining: eligible ? Math.max(0, MAX_EDITS - (chain.length - 1)) : 0,
      is_edit_eligible: eligible,
      editable_until_ms: p.createdAt + EDIT_WINDOW_MS,
    },
  };
  if (media.length) out.extended_entities = { media };
  if (truncated) {
    out.extended_tweet = { full_text: p.text, display_text_range: [0, chars.length], entities: legacyEntities(p.entities, refs), ...(media.length ? { extended_entities: { media } } : {}) };
  }
  if (depth === 0 && p.quotedPostId) {
    out.quoted_status_id = exactInt(p.quotedPostId);
    out.quoted_status_id_str = p.quotedPostId;
    const q = refs.posts.get(p.quotedPostId);
    if (q && !q.deleted) out.quoted_status = legacyTweet(q, refs, depth + 1);
  }
  if (depth === 0 && p.repostedPostId) {
    const r = refs.posts.get(p.repostedPostId);
    if (r && !r.deleted) out.retweeted_status = legacyTweet(r, refs, depth + 1);
  }
  return out;
}

// ---- Account Activity messages ----

export const forUser = (userId: string, type: string, events: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  for_user_id: userId,
  ...extra,
  [type]: events,
});

/** tweet_create_events: a post by, to, mentioning, quoting or reposting the subscribed user. */
export const tweetCreate = (userId: string, tweet: Record<string, unknown>, mention: { blocked: boolean } | null) =>
  forUser(userId, 'tweet_create_events', [tweet], mention ? { user_has_blocked: String(mention.blocked) } : {});

export const tweetDelete = (userId: string, postId: string, authorId: string, at: number) =>
  forUser(userId, 'tweet_delete_events', [{ status: { id: postId, user_id: authorId }, timestamp_ms: String(at) }]);

export const favorite = (userId: string, likeId: string, at: number, tweet: Record<string, unknown>, liker: UserRow) =>
  forUser(userId, 'favorite_events', [{ id: likeId, created_at: legacyTime(at), timestamp_ms: at, favorited_status: tweet, user: legacyUser(liker) }]);

/** follow_events (follow, unfollow), block_events (block, unblock), mute_events (mute, unmute). */
export const userPair = (userId: string, family: 'follow' | 'block' | 'mute', type: string, at: number, source: UserRow, target: UserRow) =>
  forUser(userId, `${family}_events`, [{ type, created_timestamp: String(at), source: legacyUser(source), target: legacyUser(target) }]);

// ---- Direct Messages ----

/** A user as X's Direct Message payloads key them in `users` (no `id` number, `created_timestamp` in ms). */
export function dmUser(u: UserRow): Record<string, unknown> {
  return {
    id: u.id,
    created_timestamp: String(u.createdAt),
    name: u.name,
    screen_name: u.username,
    ...(u.location ? { location: u.location } : {}),
    ...(u.description ? { description: u.description } : {}),
    ...(u.url ? { url: u.url } : {}),
    protected: u.protected,
    verified: u.verified,
    followers_count: u.followersCount,
    friends_count: u.followingCount,
    statuses_count: u.tweetCount,
    profile_image_url_https: u.profileImageUrl,
  };
}

const usersMap = (users: readonly UserRow[]) => Object.fromEntries(users.map((u) => [u.id, dmUser(u)]));

/**
 * Who a DM event is addressed to. In a one-to-one conversation the other participant; in a group (which X's v1.1
 * shape has no field for) the subscribed recipient themselves, and for the sender's own copy the conversation id.
 */
export interface DmAddress {
  senderId: string;
  recipientId: string;
  at: number;
  /** Everyone the event names, for the `users` map. */
  users: readonly UserRow[];
}

/** The parts of a sent message a `message_create` shows, and what its mentions and attachment refer to. */
export interface DmMessage {
  id: string;
  text: string | null;
  entities: PostEntities | null;
  mediaKeys: readonly string[] | null;
  /** The app it was sent through (`source_app_id`, and the `apps` map of Account Activity), when known. */
  app: { id: string; name: string } | null;
  refs: Pick<LegacyRefs, 'users' | 'usersByName' | 'media'>;
}

/** X's v1.1 `message_create` event of a message, addressed as `a` says. */
export function dmMessageEvent(m: DmMessage, a: Omit<DmAddress, 'users'>): Record<string, unknown> {
  const [media] = m.mediaKeys?.length ? legacyMedia(m.mediaKeys, m.refs) : [];
  const messageData = {
    text: m.text ?? '',
    entities: legacyEntities(m.entities, m.refs),
    ...(media ? { attachment: { type: 'media', media } } : {}),
  };
  const create = { target: { recipient_id: a.recipientId }, sender_id: a.senderId, ...(m.app ? { source_app_id: m.app.id } : {}), message_data: messageData };
  return { type: 'message_create', id: m.id, created_timestamp: String(a.at), message_create: create };
}

/** direct_message_events: a message the subscribed user sent or received (with the `apps` map when sent through one). */
export function directMessage(userId: string, m: DmMessage, a: DmAddress): Record<string, unknown> {
  const apps = m.app ? { apps: { [m.app.id]: { id: m.app.id, name: m.app.name } } } : {};
  return forUser(userId, 'direct_message_events', [dmMessageEvent(m, a)], { ...apps, users: usersMap(a.users) });
}

/** The typing indicator of `a.senderId` to `a.recipientId`. */
export const dmTypingEvent = (a: Omit<DmAddress, 'users'>) => ({ created_timestamp: String(a.at), sender_id: a.senderId, target: { recipient_id: a.recipientId } });

/** The read receipt of `a.senderId`: the conversation read up to `lastReadEventId`. */
export const dmMarkReadEvent = (a: Omit<DmAddress, 'users'>, lastReadEventId: string) => ({ ...dmTypingEvent(a), last_read_event_id: lastReadEventId });

/** direct_message_indicate_typing_events: the sender is typing to the recipient. */
export const dmTyping = (userId: string, a: DmAddress) => forUser(userId, 'direct_message_indicate_typing_events', [dmTypingEvent(a)], { users: usersMap(a.users) });

/** direct_message_mark_read_events: the sender read the conversation up to `lastReadEventId`. */
export const dmMarkRead = (userId: string, a: DmAddress, lastReadEventId: string) =>
  forUser(userId, 'direct_message_mark_read_events', [dmMarkReadEvent(a, lastReadEventId)], { users: usersMap(a.users) });

// ---- X Activity API ----

export interface ActivityFilter {
  user_id?: string;
  keyword?: string;
  direction?: 'inbound' | 'outbound';
}

export interface ActivityEnvelope {
  eventUuid: string;
  eventType: string;
  filter: ActivityFilter;
  tag: string | null;
  payload: unknown;
  includes?: Record<string, unknown[]>;
}

/**
 * The payload of the X Activity API's legacy DM events (`dm.sent`, `dm.received`, `dm.indicate_typing`,
 * `dm.read`): the Account Activity event list under its name, and the users it names keyed by id, each as
 * `{"data": <v2 User>}`.
 */
export function activityDmPayload(list: 'direct_message_events' | 'direct_message_indicate_typing_events' | 'direct_message_mark_read_events', event: unknown, users: readonly { id: string }[]): Record<string, unknown> {
  return { [list]: [event], users: Object.fromEntries(users.map((u) => [u.id, { data: u }])) };
}

/**
 * The payload of a chat event (`chat.sent`, `chat.received`, `chat.conversation_join`): the conversation, the
 * sender and the encrypted event as its client sent them (Roost never decrypts), its signature and key version.
 */
export function activityChatPayload(e: ChatEventRow): Record<string, unknown> {
  const signature = e.kind === 'action' ? (e.signature ? { message_event_signature: e.signature } : {}) : (e.signature ?? {});
  return {
    ...(e.conversationToken !== null ? { conversation_token: e.conversationToken } : {}),
    id: e.messageId,
    created_at_msec: String(e.createdAt),
    sender_id: e.senderId,
    conversation_id: e.conversationId,
    ...(e.keyVersion !== null ? { conversation_key_version: e.keyVersion } : {}),
    encoded_event: e.encodedEvent,
    ...signature,
  };
}

/** The payload of `spaces.start` / `spaces.end`: the host as `{"data": <v2 User>}`, the Space and which moment. */
export const activitySpacePayload = (host: unknown, spaceId: string, moment: 'start' | 'end') => ({ user: { data: host }, broadcast_id: spaceId, event_type: `spaces_${moment}` });

export function activityMessage(e: ActivityEnvelope): Record<string, unknown> {
  const data: Record<string, unknown> = { event_uuid: e.eventUuid, filter: e.filter, event_type: e.eventType };
  if (e.tag !== null) data.tag = e.tag;
  data.payload = e.payload;
  if (e.includes && Object.keys(e.includes).length) data.includes = e.includes;
  return { data };
}

// ---- replay ----

export function replayStatus(webhookId: string, jobId: string, complete: boolean): Record<string, unknown> {
  return {
    replay_job_status: {
      webhook_id: webhookId,
      job_state: complete ? 'Complete' : 'Incomplete',
      job_state_description: complete ? 'Job completed successfully' : 'Job failed to deliver all events, please retry your replay job',
      job_id: jobId,
    },
  };
}
