/**
 * Row types as stored. Ids are 64-bit integers in the database and strings everywhere above data/ (see
 * data/rows.ts). Booleans are 0/1 integers in both dialects so queries and rows look the same on each.
 * Timestamps are epoch milliseconds. Every table of every migration is here, so no module needs an untyped
 * query builder.
 */

import type { Generated } from 'kysely';

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
  /** Migration 002: 1 once an edit replaced this version (never set on insert). */
  superseded: Generated<Int>;
  extras: string | null;
  /** Migration 016: the Community the post was posted in (`extras.community_id`, kept for SQL). */
  community_id: Id | null;
  /** Migration 018: db/text-hash.ts of `text`, for the duplicate-content check. */
  text_hash: Int | null;
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
  /** Migration 003: sealed consumer secret; null for apps created before it. */
  consumer_secret_enc: string | null;
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

/** Migration 003: OAuth 1.0a request and access tokens. */
export interface OAuth1TokensTable {
  token_hash: string;
  kind: string;
  app_id: Id;
  user_id: Id | null;
  secret_enc: string;
  permission: string;
  callback: string | null;
  verifier_hash: string | null;
  expires_at: Int | null;
  created_at: Int;
}

/** Migration 004: OAuth 2.0 clients, authorization codes and refresh tokens. */
export interface OAuth2ClientsTable {
  app_id: Id;
  client_id: string;
  client_type: string;
  client_secret_hash: string | null;
  redirect_uris: string;
  created_at: Int;
}

export interface OAuth2CodesTable {
  code_hash: string;
  app_id: Id;
  user_id: Id;
  scopes: string;
  redirect_uri: string;
  code_challenge: string;
  challenge_method: string;
  expires_at: Int;
  used: Int;
  created_at: Int;
}

export interface OAuth2RefreshTokensTable {
  token_hash: string;
  app_id: Id;
  user_id: Id;
  scopes: string;
  expires_at: Int | null;
  revoked: Int;
  created_at: Int;
}

/** Migration 005: rate-limit buckets, per-app overrides, credit balances and daily usage. */
export interface RateLimitsTable {
  bucket: string;
  window_start: Int;
  used: Int;
}

export interface RateLimitOverridesTable {
  app_id: Id;
  operation_id: string;
  per_15min: Int | null;
  per_24h: Int | null;
}

export interface CreditsTable {
  account_id: Id;
  balance_micros: Int;
  updated_at: Int;
}

export interface UsageDailyTable {
  app_id: Id;
  account_id: Id;
  day: string;
  posts: Int;
  cost_micros: Int;
}

/** Migration 006: filtered-stream rules. */
export interface StreamRulesTable {
  id: Id;
  app_id: Id;
  owner_id: Id;
  value: string;
  tag: string | null;
  created_at: Int;
}

/** Migration 007: media upload sessions and their segments. */
export interface MediaUploadsTable {
  id: Id;
  media_key: string;
  owner_id: Id;
  additional_owners: string | null;
  media_category: string;
  media_type: string | null;
  total_bytes: Int | null;
  shared: Int;
  status: string;
  created_at: Int;
  expires_at: Int;
  finalized_at: Int | null;
  process_ms: Int | null;
  outcome: string | null;
  error: string | null;
  blob_key: string | null;
  size: Int | null;
  probe: string | null;
  metadata: string | null;
  subtitles: string | null;
}

export interface MediaSegmentsTable {
  upload_id: Id;
  segment_index: Int;
  size: Int;
  received_at: Int;
}

/**
 * Migration 008: coordinates and place boxes of geo-tagged posts. (`post_search`, the full-text table, differs
 * by engine — an FTS5 table or a tsvector column — and is written only through `Dialect.search`.)
 */
export interface PostGeoTable {
  post_id: Id;
  lon: number | null;
  lat: number | null;
  west: number | null;
  south: number | null;
  east: number | null;
  north: number | null;
}

/** Migration 011: Spaces, topics, Communities, affiliations, hourly impressions. */
export interface TopicsTable {
  id: Id;
  name: string;
  description: string | null;
}

export interface SpacesTable {
  id: string;
  creator_id: Id;
  title: string;
  title_lower: string;
  lang: string;
  is_ticketed: Int;
  created_at: Int;
  scheduled_start: Int | null;
  live_at: Int | null;
  end_at: Int | null;
  host_ids: string;
  speaker_ids: string;
  invited_user_ids: string;
  topic_ids: string;
  participant_count: Int;
  subscriber_count: Int;
}

export interface SpaceBuyersTable {
  space_id: string;
  user_id: Id;
  created_at: Int;
}

export interface CommunitiesTable {
  id: Id;
  name: string;
  name_lower: string;
  description: string;
  created_at: Int;
  access: string;
  join_policy: string;
  creator_id: Id;
}

export interface CommunityMembersTable {
  community_id: Id;
  user_id: Id;
  role: string;
  created_at: Int;
}

export interface AffiliationsTable {
  user_id: Id;
  org_id: Id;
  description: string;
  created_at: Int;
}

export interface NotesTable {
  id: Id;
  author_id: Id;
  post_id: Id;
  test_mode: number;
  text: string;
  classification: string;
  misleading_tags: string;
  trustworthy_sources: number;
  is_media_note: Generated<number>;
  created_at: Int;
  url_validity: string;
  harassment_abuse: string;
  claim_opinion: string;
  claim_opinion_score: number;
}

export interface NoteRequestsTable {
  post_id: Id;
  user_id: Id;
  created_at: Int;
  source_post_id: Id | null;
}

export interface PostImpressionsTable {
  post_id: Id;
  hour: Int;
  count: Int;
}

export interface ListsTable {
  id: Id;
  owner_id: Id;
  name: string;
  description: string;
  private: Int;
  member_count: Int;
  follower_count: Int;
  created_at: Int;
}

export interface ListMembersTable {
  list_id: Id;
  member_id: Id;
  created_at: Int;
}

export interface ListFollowersTable {
  follower_id: Id;
  list_id: Id;
  created_at: Int;
}

export interface ListPinsTable {
  user_id: Id;
  list_id: Id;
  created_at: Int;
}

/** Migration 012: registered webhooks per app. */
export interface WebhooksTable {
  id: Id;
  app_id: Id;
  url: string;
  valid: Int;
  created_at: Int;
  crc_checked_at: Int | null;
  crc_ok_at: Int | null;
  crc_failure: string | null;
}

/** Migration 012: Account Activity subscriptions. */
export interface AaaSubscriptionsTable {
  webhook_id: Id;
  user_id: Id;
  app_id: Id;
  created_at: Int;
}

/** Migration 012: filtered-stream webhook links; `params` the stream parameters given, as JSON. */
export interface StreamLinksTable {
  app_id: Id;
  webhook_id: Id;
  params: string;
  created_at: Int;
}

/** Migration 012: X Activity API subscriptions. */
export interface ActivitySubscriptionsTable {
  id: Id;
  app_id: Id;
  event_type: string;
  user_id: Id | null;
  keyword: string | null;
  direction: string | null;
  tag: string | null;
  webhook_id: Id | null;
  created_at: Int;
  updated_at: Int;
}

/** Migration 012: committed events awaiting fan-out into deliveries. */
export interface EventOutboxTable {
  id: Id;
  type: string;
  event: string;
  at: Int;
  lease_until: Int;
  lease_owner: string | null;
}

/** Migration 012: one POST per webhook and event. */
export interface WebhookDeliveriesTable {
  id: Id;
  webhook_id: Id;
  app_id: Id;
  event_id: Id;
  kind: string;
  event_type: string;
  for_user_id: Id | null;
  body: string;
  price_micros: Int;
  event_at: Int;
  created_at: Int;
  status: string;
  attempts: Int;
  next_attempt_at: Int;
  lease_until: Int;
  last_status: Int | null;
  last_error: string | null;
  finished_at: Int | null;
  replay_job_id: Id | null;
  /** Migration 017. */
  charge_key: string | null;
}

/** Migration 012: every attempt of a delivery. */
export interface WebhookDeliveryAttemptsTable {
  delivery_id: Id;
  attempt: Int;
  started_at: Int;
  duration_ms: Int;
  status_code: Int | null;
  error: string | null;
}

/** Migration 012: replays of a window of a webhook's deliveries. */
export interface WebhookReplayJobsTable {
  id: Id;
  webhook_id: Id;
  app_id: Id;
  from_at: Int;
  to_at: Int;
  created_at: Int;
  status: string;
  finished_at: Int | null;
}

/** Migration 012: batch compliance jobs. */
export interface ComplianceJobsTable {
  id: Id;
  app_id: Id;
  type: string;
  name: string | null;
  resumable: Int;
  created_at: Int;
  upload_expires_at: Int;
  download_expires_at: Int;
  uploaded_at: Int | null;
  ready_at: Int | null;
  failure: string | null;
  ids_count: Int | null;
  result: string | null;
}

/** Migration 010: Direct Messages (conversations, participants, events, DM blocks, DM settings). */
export interface DmConversationsTable {
  id: string;
  kind: string;
  created_by: Id | null;
  created_at: Int;
}

export interface DmParticipantsTable {
  conversation_id: string;
  user_id: Id;
  joined_at: Int;
  left_at: Int | null;
}

export interface DmEventsTable {
  id: Id;
  conversation_id: string;
  event_type: string;
  sender_id: Id | null;
  text: string | null;
  entities: string | null;
  media_keys: string | null;
  referenced_post_ids: string | null;
  participant_ids: string | null;
  created_at: Int;
  /** Migration 017. */
  source_app_id: Id | null;
}

export interface DmBlocksTable {
  blocker_id: Id;
  blocked_id: Id;
  created_at: Int;
}

export interface DmSettingsTable {
  user_id: Id;
  allow_from: string;
  updated_at: Int;
}

/** Migration 010: Chats (encrypted conversations; keys and payloads are opaque text). */
export interface ChatConversationsTable {
  id: string;
  kind: string;
  state: string;
  created_by: Id;
  created_at: Int;
  updated_at: Int;
  last_event_id: Id | null;
  key_version: string | null;
  group_name: string | null;
  group_avatar_url: string | null;
  group_description: string | null;
  message_ttl_ms: Int | null;
}

export interface ChatMembersTable {
  conversation_id: string;
  user_id: Id;
  role: string;
  joined_at: Int;
  seen_until: string | null;
}

export interface ChatEventsTable {
  id: Id;
  conversation_id: string;
  kind: string;
  sender_id: Id;
  message_id: string;
  encoded_event: string;
  signature: string | null;
  conversation_token: string | null;
  key_version: string | null;
  previous_id: Id | null;
  created_at: Int;
}

export interface ChatParticipantKeysTable {
  conversation_id: string;
  key_version: string;
  user_id: Id;
  encrypted_key: string;
  public_key_version: string | null;
  created_at: Int;
}

export interface ChatPublicKeysTable {
  user_id: Id;
  version: string;
  public_key: string | null;
  signing_public_key: string | null;
  identity_public_key_signature: string | null;
  signing_public_key_signature: string | null;
  public_key_fingerprint: string | null;
  registration_method: string | null;
  created_at: Int;
}

export interface ChatMediaTable {
  upload_id: Id;
  conversation_id: string;
  media_hash_key: string;
  owner_id: Id;
  created_at: Int;
}

/** Migration 013: the Developer Console's accounts, sessions, per-endpoint usage and billing settings. */
export interface ConsoleDevelopersTable {
  id: Id;
  email: string;
  password_hash: string;
  user_id: Id;
  created_at: Int;
}

export interface ConsoleSessionsTable {
  token_hash: string;
  developer_id: Id;
  expires_at: Int;
  created_at: Int;
}

export interface ConsoleUsageTable {
  app_id: Id;
  day: string;
  operation_id: string;
  requests: Int;
  errors: Int;
  posts: Int;
  cost_micros: Int;
}

export interface ConsoleBillingTable {
  account_id: Id;
  auto_recharge: Int;
  recharge_threshold_micros: Int;
  recharge_amount_micros: Int;
  spend_cap_micros: Int | null;
  last_recharge_at: Int | null;
}

/** Migration 014: broadcasts their owners scheduled; the state follows from `live_at`, the end and the clock. */
export interface ScheduledBroadcastsTable {
  id: string;
  broadcast_id: string;
  owner_id: Id;
  source_id: string;
  title: string;
  description: string;
  locale: string;
  chat_option: string | null;
  telecast_id: string | null;
  thumbnail_media_id: string | null;
  available_for_replay: Int;
  manual_publish: Int;
  is_locked: Int;
  recurring_schedule_id: string | null;
  scheduled_start: Int;
  scheduled_end: Int;
  created_at: Int;
  live_at: Int | null;
}

/** Migration 014: chat messages sent into live broadcasts. */
export interface BroadcastChatsTable {
  id: Id;
  broadcast_id: string;
  sender_id: Id;
  text: string;
  created_at: Int;
}

/** Migration 014: article drafts (`content_state` JSON as sent) and the post that published each. */
export interface ArticlesTable {
  id: Id;
  author_id: Id;
  title: string;
  content_state: string;
  cover_media_key: string | null;
  /** JSON array of the media keys the content's media entities name. */
  media_keys: string;
  created_at: Int;
  published_at: Int | null;
  post_id: Id | null;
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
  oauth1_tokens: OAuth1TokensTable;
  oauth2_clients: OAuth2ClientsTable;
  oauth2_codes: OAuth2CodesTable;
  oauth2_refresh_tokens: OAuth2RefreshTokensTable;
  rate_limits: RateLimitsTable;
  rate_limit_overrides: RateLimitOverridesTable;
  credits: CreditsTable;
  usage_daily: UsageDailyTable;
  stream_rules: StreamRulesTable;
  media_uploads: MediaUploadsTable;
  media_segments: MediaSegmentsTable;
  post_geo: PostGeoTable;
  topics: TopicsTable;
  spaces: SpacesTable;
  space_buyers: SpaceBuyersTable;
  communities: CommunitiesTable;
  community_members: CommunityMembersTable;
  affiliations: AffiliationsTable;
  post_impressions: PostImpressionsTable;
  notes: NotesTable;
  note_requests: NoteRequestsTable;
  lists: ListsTable;
  list_members: ListMembersTable;
  list_followers: ListFollowersTable;
  list_pins: ListPinsTable;
  webhooks: WebhooksTable;
  aaa_subscriptions: AaaSubscriptionsTable;
  stream_links: StreamLinksTable;
  activity_subscriptions: ActivitySubscriptionsTable;
  event_outbox: EventOutboxTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_delivery_attempts: WebhookDeliveryAttemptsTable;
  webhook_replay_jobs: WebhookReplayJobsTable;
  compliance_jobs: ComplianceJobsTable;
  dm_conversations: DmConversationsTable;
  dm_participants: DmParticipantsTable;
  dm_events: DmEventsTable;
  dm_blocks: DmBlocksTable;
  dm_settings: DmSettingsTable;
  chat_conversations: ChatConversationsTable;
  chat_members: ChatMembersTable;
  chat_events: ChatEventsTable;
  chat_participant_keys: ChatParticipantKeysTable;
  chat_public_keys: ChatPublicKeysTable;
  chat_media: ChatMediaTable;
  console_developers: ConsoleDevelopersTable;
  console_sessions: ConsoleSessionsTable;
  console_usage: ConsoleUsageTable;
  console_billing: ConsoleBillingTable;
  scheduled_broadcasts: ScheduledBroadcastsTable;
  broadcast_chats: BroadcastChatsTable;
  articles: ArticlesTable;
}
