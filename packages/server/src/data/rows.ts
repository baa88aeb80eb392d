/** Domain rows: what data/ hands upward. Ids are strings, counters numbers, times epoch ms, JSON parsed. */

export interface UserRow {
  id: string;
  username: string;
  name: string;
  description: string;
  location: string | null;
  url: string | null;
  profileImageUrl: string;
  profileBannerUrl: string | null;
  protected: boolean;
  verified: boolean;
  verifiedType: string;
  suspended: boolean;
  createdAt: number;
  pinnedPostId: string | null;
  mostRecentPostId: string | null;
  followersCount: number;
  followingCount: number;
  tweetCount: number;
  listedCount: number;
  likeCount: number;
  entities: UserEntities | null;
  withheld: { country_codes: string[]; scope?: string } | null;
}

/** A List (FACTS §8.3); the counters are kept exact by the write path. */
export interface ListRow {
  id: string;
  ownerId: string;
  name: string;
  description: string;
  private: boolean;
  memberCount: number;
  followerCount: number;
  createdAt: number;
}

export interface UrlEntity {
  start: number;
  end: number;
  url: string;
  expanded_url: string;
  display_url: string;
  media_key?: string;
}
export interface TagEntity {
  start: number;
  end: number;
  tag: string;
}
export interface MentionEntity {
  start: number;
  end: number;
  username: string;
  id?: string;
}
export interface PostEntities {
  urls?: UrlEntity[];
  hashtags?: TagEntity[];
  cashtags?: TagEntity[];
  mentions?: MentionEntity[];
  annotations?: { start: number; end: number; probability: number; type: string; normalized_text: string }[];
}
export interface UserEntities {
  url?: { urls: UrlEntity[] };
  description?: PostEntities;
}

/** Options given at creation that X keeps on the post (FACTS §10). */
export interface PostExtras {
  card_uri?: string;
  community_id?: string;
  paid_partnership?: boolean;
  made_with_ai?: boolean;
  nullcast?: boolean;
  for_super_followers_only?: boolean;
  direct_message_deep_link?: string;
  share_with_followers?: boolean;
  exclude_reply_user_ids?: string[];
  /** `media.tagged_user_ids` of the create request. */
  tagged_user_ids?: string[];
  /** The article the post publishes (domain/articles.ts), as the `article` field shows it. */
  article?: PostArticle;
}

/** An article as its post carries it: title, text, and the media keys `article.cover_media` / `article.media_entities` expand. */
export interface PostArticle {
  title: string;
  preview_text: string;
  plain_text: string;
  cover_media?: string;
  media_entities?: string[];
}

export interface PostRow {
  id: string;
  authorId: string;
  text: string;
  createdAt: number;
  conversationId: string;
  inReplyToPostId: string | null;
  inReplyToUserId: string | null;
  quotedPostId: string | null;
  repostedPostId: string | null;
  editRootId: string;
  /** Edits made to the chain this post roots (0 when never edited). */
  editCount: number;
  lang: string;
  replySettings: string;
  possiblySensitive: boolean;
  source: string | null;
  entities: PostEntities | null;
  mediaKeys: string[] | null;
  pollId: string | null;
  placeId: string | null;
  /** GeoJSON order: [longitude, latitude]. */
  geoCoordinates: [number, number] | null;
  noteText: string | null;
  noteEntities: PostEntities | null;
  deleted: boolean;
  /** A reply hidden by the conversation's root author. */
  hidden: boolean;
  extras?: PostExtras | null;
  retweetCount: number;
  replyCount: number;
  likeCount: number;
  quoteCount: number;
  bookmarkCount: number;
  impressionCount: number;
}

export interface MediaRow {
  mediaKey: string;
  id: string;
  ownerId: string;
  type: 'photo' | 'video' | 'animated_gif';
  url: string | null;
  previewImageUrl: string | null;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  altText: string | null;
  variants: { bit_rate?: number; content_type: string; url: string }[] | null;
  viewCount: number;
  createdAt: number;
}

export interface PollRow {
  id: string;
  options: { label: string; votes: number }[];
  durationMinutes: number;
  endAt: number;
}

export interface PlaceRow {
  id: string;
  fullName: string;
  name: string;
  country: string;
  countryCode: string;
  placeType: string;
  bbox: [number, number, number, number];
  containedWithin: string[] | null;
}

export interface AppRow {
  id: string;
  name: string;
  ownerUserId: string;
  consumerKey: string;
  consumerSecretHash: string;
  bearerGeneration: number;
  permission: string;
  createdAt: number;
}

export interface TokenRow {
  tokenHash: string;
  kind: 'app' | 'user';
  appId: string;
  userId: string | null;
  scopes: string[];
  expiresAt: number | null;
  createdAt: number;
}

/** X's default profile picture. */
export const DEFAULT_PROFILE_IMAGE = 'https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png';

/** A fresh, public, unverified account with no activity: callers spread their specifics over it. */
export function newUserRow(id: string, username: string, now: number): UserRow {
  return {
    id,
    username,
    name: username,
    description: '',
    location: null,
    url: null,
    profileImageUrl: DEFAULT_PROFILE_IMAGE,
    profileBannerUrl: null,
    protected: false,
    verified: false,
    verifiedType: 'none',
    suspended: false,
    createdAt: now,
    pinnedPostId: null,
    mostRecentPostId: null,
    followersCount: 0,
    followingCount: 0,
    tweetCount: 0,
    listedCount: 0,
    likeCount: 0,
    entities: null,
    withheld: null,
  };
}

/** A fresh, live post with no references, attachments or engagement: callers spread their specifics over it. */
export function newPostRow(id: string, me: string, now: number): PostRow {
  return {
    id,
    authorId: me,
    text: '',
    createdAt: now,
    conversationId: id,
    inReplyToPostId: null,
    inReplyToUserId: null,
    quotedPostId: null,
    repostedPostId: null,
    editRootId: id,
    editCount: 0,
    lang: 'und',
    replySettings: 'everyone',
    possiblySensitive: false,
    source: null,
    entities: null,
    mediaKeys: null,
    pollId: null,
    placeId: null,
    geoCoordinates: null,
    noteText: null,
    noteEntities: null,
    deleted: false,
    hidden: false,
    retweetCount: 0,
    replyCount: 0,
    likeCount: 0,
    quoteCount: 0,
    bookmarkCount: 0,
    impressionCount: 0,
  };
}

/** An edge in a paginated relation (follows, likes, reposts): who/what, and when — the keyset. */
export interface Edge {
  id: string;
  at: number;
}

export const str = (v: unknown): string => String(v);
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
export const num = (v: unknown): number => Number(v);
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
export const bool = (v: unknown): boolean => Number(v) === 1;
export const json = <T>(v: unknown): T | null => (v === null || v === undefined ? null : (JSON.parse(String(v)) as T));
export const toJson = (v: unknown): string | null =>
  v === null || v === undefined || (Array.isArray(v) && v.length === 0) ? null : JSON.stringify(v);
