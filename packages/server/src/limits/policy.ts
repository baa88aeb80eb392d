/**
 * Per-operation rate limits (FACTS §4.2, pay-per-use era). Each operation has up to four numbers: per app
 * (app-only bearer) and per user (user context, keyed user + app) per 15-minute window, and optional 24-hour
 * caps for each pool. `null` for a 15-minute pool means X does not list one for that auth type (the operation
 * does not accept it, or X documents no limit): Roost then applies the default.
 *
 * Operations missing from the table get DEFAULT_LIMIT (900 per 15 min for both pools, no 24 h cap).
 * Overrides: `Config.limitOverrides` (startup, e.g. the test harness) and per-app overrides stored by
 * `roost apps limits` (table `rate_limit_overrides`, re-read every few seconds).
 */
export interface OperationLimits {
  /** Per app, per 15 minutes (app-only bearer). */
  app: number;
  /** Per user + app, per 15 minutes (user context). */
  user: number;
  /** App-level 24-hour cap (counted across every caller of the app, both auth types). */
  app24h: number | null;
  /** User-level 24-hour cap (user context). */
  user24h: number | null;
}

export type LimitOverride = Partial<OperationLimits>;

export const WINDOW_15MIN_MS = 15 * 60_000;
export const WINDOW_24H_MS = 24 * 3_600_000;
export const DEFAULT_LIMIT = 900;

type Row = [app: number | null, user: number | null, app24h?: number | null, user24h?: number | null];

/** FACTS §4.2 by operationId. */
const TABLE: Record<string, Row> = {
  getPostsByIds: [3500, 5000],
  getPostsById: [450, 900],
  searchPostsRecent: [450, 300],
  searchPostsAll: [300, 300],
  getPostsCountsRecent: [300, null],
  getPostsCountsAll: [300, null],
  streamPosts: [50, null],
  getRules: [450, null],
  updateRules: [100, null],
  // "10,000 / 24 h" per app; 100 per user per 15 min (the integrate page's 200 is the older figure).
  createPosts: [null, 100, 10_000, null],
  deletePosts: [null, 50],
  getUsersPosts: [10_000, 900],
  getUsersMentions: [450, 300],
  getUsersTimeline: [null, 180],
  getPostsLikingUsers: [75, 75],
  getUsersLikedPosts: [75, 75],
  likePost: [null, 50, null, 1000],
  unlikePost: [null, 50, null, 1000],
  getPostsRepostedBy: [75, 75],
  getPostsQuotedPosts: [75, 75],
  getPostsReposts: [75, 75],
  getUsersRepostsOfMe: [null, 75],
  repostPost: [null, 50],
  unrepostPost: [null, 50],
  hidePostsReply: [null, 50],
  getUsersByIds: [300, 900],
  getUsersById: [300, 900],
  getUsersByUsernames: [300, 900],
  getUsersByUsername: [300, 900],
  getUsersMe: [null, 75],
  searchUsers: [300, 900],
  getUsersFollowers: [300, 300],
  getUsersFollowing: [300, 300],
  followUser: [null, 50],
  unfollowUser: [null, 50],
  muteUser: [null, 50],
  unmuteUser: [null, 50],
  // Blocking writes are not in X's table; same as mutes.
  blockUser: [null, 50],
  unblockUser: [null, 50],
  getUsersBlocking: [null, 15],
  getUsersMuting: [null, 15],
  getUsersOwnedLists: [15, 15],
  getUsersPinnedLists: [15, 15],
  followList: [null, 50],
  unfollowList: [null, 50],
  pinList: [null, 50],
  unpinList: [null, 50],
  getUsersBookmarks: [null, 180],
  getUsersBookmarkFolders: [null, 50],
  getUsersBookmarksByFolderId: [null, 50],
  createUsersBookmark: [null, 50],
  deleteUsersBookmark: [null, 50],
  getUsage: [50, null],
  getTrendsByWoeid: [75, null],
  getTrendsPersonalizedTrends: [200, 10, 200, 100],
  mediaUpload: [null, 500, 50_000, null],
  mediaUploadV1: [null, 500, 50_000, null],
  getMediaUploadStatus: [null, 1000, 100_000, null],
  mediaUploadStatusV1: [null, 1000, 100_000, null],
  initializeMediaUpload: [null, 1875, 180_000, null],
  appendMediaUpload: [null, 1875, 180_000, null],
  finalizeMediaUpload: [null, 1875, 180_000, null],
  createMediaMetadata: [null, 500, 50_000, null],
};

function fromRow(r: Row | undefined): OperationLimits {
  if (!r) return { app: DEFAULT_LIMIT, user: DEFAULT_LIMIT, app24h: null, user24h: null };
  return { app: r[0] ?? DEFAULT_LIMIT, user: r[1] ?? DEFAULT_LIMIT, app24h: r[2] ?? null, user24h: r[3] ?? null };
}

/** The built-in limits of an operation, before overrides. */
export function builtinLimits(operationId: string): OperationLimits {
  return fromRow(TABLE[operationId]);
}

/** Limits with config overrides (per operation, all apps) and per-app overrides applied. */
export class LimitPolicy {
  private readonly base = new Map<string, OperationLimits>();

  constructor(private readonly configOverrides: Readonly<Record<string, LimitOverride>> = {}) {}

  /** Config-level limits of an operation (cached: computed once per operation). */
  limits(operationId: string): OperationLimits {
    let l = this.base.get(operationId);
    if (!l) {
      l = { ...builtinLimits(operationId), ...(this.configOverrides['*'] ?? {}), ...(this.configOverrides[operationId] ?? {}) };
      this.base.set(operationId, l);
    }
    return l;
  }

  /** Changes the config-level limits of an operation at runtime (tests). */
  override(operationId: string, o: LimitOverride): void {
    this.base.set(operationId, { ...this.limits(operationId), ...o });
  }

  /** Limits for one app: config-level limits with the app's stored overrides on top. */
  forApp(operationId: string, appOverrides: ReadonlyMap<string, LimitOverride> | undefined): OperationLimits {
    const l = this.limits(operationId);
    const o = appOverrides?.get(operationId);
    return o ? { ...l, ...o } : l;
  }
}
