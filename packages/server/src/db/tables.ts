/**
 * Row types as stored. Ids are 64-bit integers in the database and strings everywhere above data/ (see
 * data/rows.ts). Booleans are 0/1 integers in both dialects so queries and rows look the same on each.
 * Timestamps are epoch milliseconds.
 */


type Id = string | bigint;
type Int = number | bigint | string;

export interface UsersTable {
  id: Id;
  username: string;
  username_lower: string;
  name: string;
  description: string;
  location: string | null;
  url: string | null;
  profile_image_url: string;
  profile_banner_url: string | null;
  protected: Int;
  verified: Int;
  verified_type: string;
  suspended: Int;
  created_at: Int;
  pinned_post_id: Id | null;
  most_recent_post_id: Id | null;
  followers_count: Int;
  following_count: Int;
  tweet_count: Int;
  listed_count: Int;
  like_count: Int;
  entities: string | null;
  withheld: string | null;
}

export interface PostsTable {
  id: Id;
  author_id: Id;
  text: string;
  created_at: Int;
  conversation_id: Id;
  in_reply_to_post_id: Id | null;
  in_reply_to_user_id: Id | null;
  quoted_post_id: Id | null;
  reposted_post_id: Id | null;
  edit_root_id: Id;
  edit_count: Int;
  lang: string;
  reply_settings: string;
  possibly_sensitive: Int;
  source: string | null;
  entities: string | null;
  media_keys: string | null;
  poll_id: Id | null;
  place_id: string | null;
  geo_coordinates: string | null;
  note_text: string | null;
  note_entities: string | null;
  deleted: Int;
  hidden: Int;
  superseded?: Int;
  extras?: string | null;
  retweet_count: Int;
  reply_count: Int;
  like_count: Int;
  quote_count: Int;
  bookmark_count: Int;
  impression_count: Int;
}

export interface FollowsTable {
  follower_id: Id;
  followee_id: Id;
  created_at: Int;
}

export interface LikesTable {
  user_id: Id;
  post_id: Id;
  created_at: Int;
}

export interface MediaTable {
  media_key: string;
  id: Id;
  owner_id: Id;
  type: string;
  url: string | null;
  preview_image_url: string | null;
  width: Int | null;
  height: Int | null;
  duration_ms: Int | null;
  alt_text: string | null;
  variants: string | null;
  view_count: Int;
  created_at: Int;
}

export interface PollsTable {
  id: Id;
  options: string;
  duration_minutes: Int;
  end_at: Int;
}

export interface PlacesTable {
  id: string;
  full_name: string;
  name: string;
  country: string;
  country_code: string;
  place_type: string;
  bbox: string;
  contained_within: string | null;
}

export interface AppsTable {
  id: Id;
  name: string;
  owner_user_id: Id;
  consumer_key: string;
  consumer_secret_hash: string;
  bearer_generation: Int;
  permission: string;
  created_at: Int;
}

export interface TokensTable {
  token_hash: string;
  kind: string;
  app_id: Id;
  user_id: Id | null;
  scopes: string;
  expires_at: Int | null;
  created_at: Int;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface BookmarkFoldersTable {
  id: Id;
  user_id: Id;
  name: string;
  created_at: Int;
}

export interface BookmarksTable {
  user_id: Id;
  post_id: Id;
  folder_id: Id | null;
  created_at: Int;
}

export interface BlocksTable {
  blocker_id: Id;
  blocked_id: Id;
  created_at: Int;
}

export interface MutesTable {
  muter_id: Id;
  muted_id: Id;
  created_at: Int;
}

export interface FollowRequestsTable {
  requester_id: Id;
  target_id: Id;
  created_at: Int;
}

export interface MentionsTable {
  user_id: Id;
  post_id: Id;
}

export interface Database {
  users: UsersTable;
  posts: PostsTable;
  follows: FollowsTable;
  likes: LikesTable;
  media: MediaTable;
  polls: PollsTable;
  places: PlacesTable;
  apps: AppsTable;
  tokens: TokensTable;
  settings: SettingsTable;
  bookmark_folders: BookmarkFoldersTable;
  bookmarks: BookmarksTable;
  blocks: BlocksTable;
  mutes: MutesTable;
  follow_requests: FollowRequestsTable;
  mentions: MentionsTable;
}

