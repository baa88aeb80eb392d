/**
 * Views: pure functions from rows to X's JSON objects. They never touch the database and never change what
 * they are given; everything they need (edit history, connection status, clock time) is handed in, and the
 * partial errors a view raises are returned with it. Keys are classic inside and renamed for 2.167 clients by
 * `postForGeneration` / `userForGeneration`.
 */
import { snowflakeTime } from '../util/snowflake.js';
import type { Generation } from '@roost/contract';
import type { ListRow, MediaRow, PlaceRow, PollRow, PostRow, UserRow } from '../data/rows.js';
import type { SuggestedSource } from '../data/notes.js';
import type { Selection } from './selection.js';
import { fieldNotAuthorized, type Problem } from './problems.js';

export const iso = (ms: number) => new Date(ms).toISOString();

/** Edits are allowed for 30 minutes, 5 times (FACTS §10). */
export const EDIT_WINDOW_MS = 30 * 60 * 1000;
export const MAX_EDITS = 5;

export interface PostViewContext {
  now: number;
  viewerId: string | null;
  /** All versions of this post's edit chain, oldest first (at least the post itself). */
  editHistory: readonly string[];
  section: 'data' | 'includes';
  /** Posts suggested as sources by people who asked for a Community Note on this post, most suggested first. */
  noteSources?: readonly SuggestedSource[];
}

/** The link X gives for a post. */
const postUrl = (id: string) => `https://x.com/i/status/${id}`;

/** A view and the partial errors (FACTS §1.2) that presenting it raised, for the page to collect in order. */
export interface Presented {
  view: Record<string, unknown>;
  problems: readonly Problem[];
}

const NO_PROBLEMS: readonly Problem[] = Object.freeze([]);

const AUTHOR_ONLY_POST_FIELDS = ['non_public_metrics', 'organic_metrics', 'promoted_metrics'] as const;

export function presentPost(p: PostRow, sel: Selection, c: PostViewContext): Presented {
  const f = sel.post;
  let problems = NO_PROBLEMS;
  const out: Record<string, unknown> = { id: p.id, text: p.text, edit_history_tweet_ids: [...c.editHistory] };
  if (f.has('article') && p.extras?.article) out.article = p.extras.article;
  if (f.has('attachments')) {
    const a: Record<string, unknown> = {};
    if (p.mediaKeys?.length) a.media_keys = p.mediaKeys;
    if (p.pollId) a.poll_ids = [p.pollId];
    if (Object.keys(a).length) out.attachments = a;
  }
  if (f.has('author_id')) out.author_id = p.authorId;
  if (f.has('card_uri') && p.extras?.card_uri) out.card_uri = p.extras.card_uri;
  if (f.has('community_id') && p.extras?.community_id) out.community_id = p.extras.community_id;
  if (f.has('paid_partnership') && p.extras?.paid_partnership !== undefined) out.paid_partnership = p.extras.paid_partnership;
  if (f.has('conversation_id')) out.conversation_id = p.conversationId;
  if (f.has('created_at')) out.created_at = iso(p.createdAt);
  if (f.has('display_text_range')) out.display_text_range = [0, [...p.text].length];
  if (f.has('edit_controls')) {
    const editsMade = c.editHistory.length - 1;
    const eligible = !p.repostedPostId && !p.pollId && !(p.inReplyToUserId && p.inReplyToUserId !== p.authorId);
    out.edit_controls = {
      edits_remaining: eligible ? Math.max(0, MAX_EDITS - editsMade) : 0,
      is_edit_eligible: eligible,
      // The window runs from the first version, for every version (an edit does not extend it).
      editable_until: iso((p.editRootId === p.id ? p.createdAt : snowflakeTime(p.editRootId)) + EDIT_WINDOW_MS),
    };
  }
  if (f.has('entities') && p.entities && Object.keys(p.entities).length) out.entities = p.entities;
  if (f.has('geo') && (p.placeId || p.geoCoordinates)) {
    const g: Record<string, unknown> = {};
    if (p.placeId) g.place_id = p.placeId;
    if (p.geoCoordinates) g.coordinates = { type: 'Point', coordinates: p.geoCoordinates };
    out.geo = g;
  }
  if (f.has('in_reply_to_user_id') && p.inReplyToUserId) out.in_reply_to_user_id = p.inReplyToUserId;
  if (f.has('lang')) out.lang = p.lang;
  if (f.has('note_tweet') && p.noteText) {
    out.note_tweet = { text: p.noteText, ...(p.noteEntities ? { entities: p.noteEntities } : {}) };
  }
  if (f.has('possibly_sensitive')) out.possibly_sensitive = p.possiblySensitive;
  if (f.has('public_metrics')) {
    out.public_metrics = {
      retweet_count: p.retweetCount,
      reply_count: p.replyCount,
      like_count: p.likeCount,
      quote_count: p.quoteCount,
      bookmark_count: p.bookmarkCount,
      impression_count: p.impressionCount,
    };
  }
  if (f.has('referenced_tweets')) {
    const refs: { type: string; id: string }[] = [];
    if (p.repostedPostId) refs.push({ type: 'retweeted', id: p.repostedPostId });
    if (p.quotedPostId) refs.push({ type: 'quoted', id: p.quotedPostId });
    if (p.inReplyToPostId) refs.push({ type: 'replied_to', id: p.inReplyToPostId });
    if (refs.length) out.referenced_tweets = refs;
  }
  if (f.has('reply_settings')) out.reply_settings = p.replySettings;
  if (f.has('suggested_source_links') && c.noteSources?.length) out.suggested_source_links = c.noteSources.map((x) => postUrl(x.postId));
  if (f.has('suggested_source_links_with_counts') && c.noteSources?.length) {
    out.suggested_source_links_with_counts = c.noteSources.map((x) => ({ url: postUrl(x.postId), count: x.count }));
  }
  // Private metrics: the author, in user context, within 30 days; anyone else gets a field error (FACTS §8.1).
  for (const field of AUTHOR_ONLY_POST_FIELDS) {
    if (!f.has(field)) continue;
    const mine = c.viewerId === p.authorId && c.now - p.createdAt <= 30 * 24 * 3600 * 1000;
    if (!mine) {
      const problem = fieldNotAuthorized('tweet', sel.generation === 'modern' ? 'post.fields' : 'tweet.fields', field, p.id, c.section);
      problems = problems === NO_PROBLEMS ? [problem] : [...problems, problem];
      continue;
    }
    if (field === 'non_public_metrics') out.non_public_metrics = { impression_count: p.impressionCount, user_profile_clicks: 0 };
    if (field === 'organic_metrics') {
      out.organic_metrics = {
        impression_count: p.impressionCount,
        like_count: p.likeCount,
        reply_count: p.replyCount,
        retweet_count: p.retweetCount,
        user_profile_clicks: 0,
      };
    }
  }
  return { view: out, problems };
}

export interface UserViewContext {
  viewerId: string | null;
  /** connection_status values for this user relative to the viewer (user context only). */
  connection?: string[];
  /** The verified organisation this user is affiliated with, when they are and it is shown. */
  affiliation?: { org: UserRow };
}

/**
 * A user's `affiliation` (FACTS §8.2): the organisation's badge (its profile picture), its name, its profile URL and
 * its id — what X's affiliate label shows beside the user's name.
 */
export function presentAffiliation(org: UserRow): Record<string, unknown> {
  return { badge_url: org.profileImageUrl, description: org.name, url: `https://x.com/${org.username}`, user_id: [org.id] };
}

export function presentUser(u: UserRow, sel: Selection, c: UserViewContext): Record<string, unknown> {
  const f = sel.user;
  const out: Record<string, unknown> = { id: u.id, name: u.name, username: u.username };
  if (f.has('created_at')) out.created_at = iso(u.createdAt);
  if (f.has('description')) out.description = u.description;
  if (f.has('entities') && u.entities && Object.keys(u.entities).length) out.entities = u.entities;
  if (f.has('location') && u.location) out.location = u.location;
  if (f.has('most_recent_tweet_id') && u.mostRecentPostId) out.most_recent_tweet_id = u.mostRecentPostId;
  if (f.has('pinned_tweet_id') && u.pinnedPostId) out.pinned_tweet_id = u.pinnedPostId;
  if (f.has('profile_image_url')) out.profile_image_url = u.profileImageUrl;
  if (f.has('profile_banner_url') && u.profileBannerUrl) out.profile_banner_url = u.profileBannerUrl;
  if (f.has('protected')) out.protected = u.protected;
  if (f.has('public_metrics')) {
    out.public_metrics = {
      followers_count: u.followersCount,
      following_count: u.followingCount,
      tweet_count: u.tweetCount,
      listed_count: u.listedCount,
      like_count: u.likeCount,
    };
  }
  if (f.has('url')) out.url = u.url ?? '';
  if (f.has('verified')) out.verified = u.verified;
  if (f.has('verified_type')) out.verified_type = u.verifiedType;
  if (f.has('verified_followers_count')) out.verified_followers_count = 0;
  if (f.has('withheld') && u.withheld) out.withheld = u.withheld;
  if (f.has('parody')) out.parody = false;
  if (f.has('is_identity_verified')) out.is_identity_verified = false;
  if (f.has('receives_your_dm')) out.receives_your_dm = !u.protected;
  if (f.has('subscription_type')) out.subscription_type = 'None';
  if (f.has('connection_status') && c.connection) out.connection_status = c.connection;
  if (f.has('affiliation') && c.affiliation) out.affiliation = presentAffiliation(c.affiliation.org);
  return out;
}

export function presentMedia(m: MediaRow, sel: Selection): Record<string, unknown> {
  const f = sel.media;
  const out: Record<string, unknown> = { media_key: m.mediaKey, type: m.type };
  if (f.has('url') && m.url) out.url = m.url;
  if (f.has('preview_image_url') && m.previewImageUrl) out.preview_image_url = m.previewImageUrl;
  if (f.has('width') && m.width !== null) out.width = m.width;
  if (f.has('height') && m.height !== null) out.height = m.height;
  if (f.has('duration_ms') && m.durationMs !== null) out.duration_ms = m.durationMs;
  if (f.has('alt_text') && m.altText) out.alt_text = m.altText;
  if (f.has('variants') && m.variants?.length) out.variants = m.variants;
  if (f.has('public_metrics') && m.type !== 'photo') out.public_metrics = { view_count: m.viewCount };
  return out;
}

export function presentPoll(p: PollRow, sel: Selection, now: number): Record<string, unknown> {
  const f = sel.poll;
  const out: Record<string, unknown> = {
    id: p.id,
    options: p.options.map((o, i) => ({ position: i + 1, label: o.label, votes: o.votes })),
  };
  if (f.has('duration_minutes')) out.duration_minutes = p.durationMinutes;
  if (f.has('end_datetime')) out.end_datetime = iso(p.endAt);
  if (f.has('voting_status')) out.voting_status = now < p.endAt ? 'open' : 'closed';
  return out;
}

export function presentPlace(p: PlaceRow, sel: Selection): Record<string, unknown> {
  const f = sel.place;
  const out: Record<string, unknown> = { id: p.id, full_name: p.fullName };
  if (f.has('contained_within') && p.containedWithin?.length) out.contained_within = p.containedWithin;
  if (f.has('country')) out.country = p.country;
  if (f.has('country_code')) out.country_code = p.countryCode;
  if (f.has('geo')) out.geo = { type: 'Feature', bbox: p.bbox, properties: {} };
  if (f.has('name')) out.name = p.name;
  if (f.has('place_type')) out.place_type = p.placeType;
  return out;
}

/** A List (FACTS §2.1: `id` and `name` by default; the `owner_id` expansion asks for `owner_id`, see selection.ts). */
export function presentList(l: ListRow, sel: Selection): Record<string, unknown> {
  const f = sel.list;
  const out: Record<string, unknown> = { id: l.id, name: l.name };
  if (f.has('created_at')) out.created_at = iso(l.createdAt);
  if (f.has('description')) out.description = l.description;
  if (f.has('follower_count')) out.follower_count = l.followerCount;
  if (f.has('member_count')) out.member_count = l.memberCount;
  if (f.has('owner_id')) out.owner_id = l.ownerId;
  if (f.has('private')) out.private = l.private;
  return out;
}

const POST_KEYS_MODERN: Record<string, string> = {
  edit_history_tweet_ids: 'edit_history_post_ids',
  referenced_tweets: 'referenced_posts',
  note_tweet: 'note_post',
};
const USER_KEYS_MODERN: Record<string, string> = {
  pinned_tweet_id: 'pinned_post_id',
  most_recent_tweet_id: 'most_recent_post_id',
};

/** A post view with the keys a 2.167 client expects (a new object; the classic view is left as it was). */
export function postForGeneration(v: Record<string, unknown>, g: Generation): Record<string, unknown> {
  return g === 'classic'
    ? v
    : modernized(v, POST_KEYS_MODERN, ({ retweet_count, ...rest }) => ({ repost_count: retweet_count, ...rest }));
}

export function userForGeneration(v: Record<string, unknown>, g: Generation): Record<string, unknown> {
  return g === 'classic' ? v : modernized(v, USER_KEYS_MODERN, ({ tweet_count, ...rest }) => ({ ...rest, post_count: tweet_count }));
}

/** A copy of a view with its keys renamed for 2.167 and its `public_metrics` as `metrics` makes them. */
function modernized(
  v: Record<string, unknown>,
  keys: Record<string, string>,
  metrics: (m: Record<string, number>) => Record<string, number | undefined>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) {
    if (k === 'public_metrics') out[k] = metrics(val as Record<string, number>);
    else out[keys[k] ?? k] = val;
  }
  return out;
}
