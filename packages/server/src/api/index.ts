/**
 * The operation registry: every operation Roost serves, one line each, listed explicitly (no glob loading). A
 * family of like operations may be one table file in its tag folder (streams, search, counts).
 */
import type { Operation } from './operation.js';
import { createUsersBookmarkFolder } from './bookmarks/createUsersBookmarkFolder.js';
import { deleteUsersBookmark } from './bookmarks/deleteUsersBookmark.js';
import { addChatGroupMembers } from './chats/addChatGroupMembers.js';
import { addConversationKeys } from './chats/addConversationKeys.js';
import { addUserPublicKey } from './chats/addUserPublicKey.js';
import { chatMediaDownload } from './chats/chatMediaDownload.js';
import { chatMediaUploadAppend } from './chats/chatMediaUploadAppend.js';
import { chatMediaUploadFinalize } from './chats/chatMediaUploadFinalize.js';
import { chatMediaUploadInitialize } from './chats/chatMediaUploadInitialize.js';
import { createChatConversation } from './chats/createChatConversation.js';
import { getChatConversation } from './chats/getChatConversation.js';
import { getChatConversationEvents } from './chats/getChatConversationEvents.js';
import { getChatConversations } from './chats/getChatConversations.js';
import { getUsersPublicKey } from './chats/getUsersPublicKey.js';
import { getUsersPublicKeys } from './chats/getUsersPublicKeys.js';
import { initializeChatGroup } from './chats/initializeChatGroup.js';
import { markChatConversationRead } from './chats/markChatConversationRead.js';
import { sendChatMessage } from './chats/sendChatMessage.js';
import { sendChatTypingIndicator } from './chats/sendChatTypingIndicator.js';
import { deleteAllConnections } from './connections/deleteAllConnections.js';
import { deleteConnectionsByEndpoint } from './connections/deleteConnectionsByEndpoint.js';
import { deleteConnectionsByUuids } from './connections/deleteConnectionsByUuids.js';
import { getConnectionHistory } from './connections/getConnectionHistory.js';
import { blockUsersDms } from './direct-messages/blockUsersDms.js';
import { createDirectMessagesByConversationId } from './direct-messages/createDirectMessagesByConversationId.js';
import { createDirectMessagesByParticipantId } from './direct-messages/createDirectMessagesByParticipantId.js';
import { createDirectMessagesConversation } from './direct-messages/createDirectMessagesConversation.js';
import { deleteDirectMessagesEvents } from './direct-messages/deleteDirectMessagesEvents.js';
import { dmConversationsMediaDownload } from './direct-messages/dmConversationsMediaDownload.js';
import { getDirectMessagesEvents } from './direct-messages/getDirectMessagesEvents.js';
import { getDirectMessagesEventsByConversationId } from './direct-messages/getDirectMessagesEventsByConversationId.js';
import { getDirectMessagesEventsById } from './direct-messages/getDirectMessagesEventsById.js';
import { getDirectMessagesEventsByParticipantId } from './direct-messages/getDirectMessagesEventsByParticipantId.js';
import { unblockUsersDms } from './direct-messages/unblockUsersDms.js';
import { getOpenApiSpec } from './general/getOpenApiSpec.js';
import { getPostsLikingUsers } from './likes/getPostsLikingUsers.js';
import { likePost } from './likes/likePost.js';
import { unlikePost } from './likes/unlikePost.js';
import { addListsMember } from './lists/addListsMember.js';
import { createLists } from './lists/createLists.js';
import { deleteLists } from './lists/deleteLists.js';
import { getListsById } from './lists/getListsById.js';
import { getListsFollowers } from './lists/getListsFollowers.js';
import { getListsMembers } from './lists/getListsMembers.js';
import { getListsPosts } from './lists/getListsPosts.js';
import { pinList } from './lists/pinList.js';
import { removeListsMemberByUserId } from './lists/removeListsMemberByUserId.js';
import { unfollowList } from './lists/unfollowList.js';
import { unpinList } from './lists/unpinList.js';
import { updateLists } from './lists/updateLists.js';
import { appendMediaUpload } from './media/appendMediaUpload.js';
import { createMediaMetadata } from './media/createMediaMetadata.js';
import { createMediaSubtitles } from './media/createMediaSubtitles.js';
import { deleteMediaSubtitles } from './media/deleteMediaSubtitles.js';
import { finalizeMediaUpload } from './media/finalizeMediaUpload.js';
import { getMediaAnalytics } from './media/getMediaAnalytics.js';
import { getMediaByMediaKey } from './media/getMediaByMediaKey.js';
import { getMediaByMediaKeys } from './media/getMediaByMediaKeys.js';
import { getMediaUploadStatus } from './media/getMediaUploadStatus.js';
import { initializeMediaUpload } from './media/initializeMediaUpload.js';
import { mediaUpload } from './media/mediaUpload.js';
import { mediaUploadStatusV1 } from './media/mediaUploadStatusV1.js';
import { mediaUploadV1 } from './media/mediaUploadV1.js';
import { unmuteUser } from './mutes/unmuteUser.js';
import { createPosts } from './posts/createPosts.js';
import { createUsersBookmark } from './posts/createUsersBookmark.js';
import { deletePosts } from './posts/deletePosts.js';
import { getPostsById } from './posts/getPostsById.js';
import { getPostsByIds } from './posts/getPostsByIds.js';
import { getPostsQuotedPosts } from './posts/getPostsQuotedPosts.js';
import { getPostsRepostedBy } from './posts/getPostsRepostedBy.js';
import { getPostsReposts } from './posts/getPostsReposts.js';
import { getUsersBookmarkFolders } from './posts/getUsersBookmarkFolders.js';
import { getUsersBookmarks } from './posts/getUsersBookmarks.js';
import { getUsersBookmarksByFolderId } from './posts/getUsersBookmarksByFolderId.js';
import { getUsersLikedPosts } from './posts/getUsersLikedPosts.js';
import { getUsersMentions } from './posts/getUsersMentions.js';
import { getUsersPosts } from './posts/getUsersPosts.js';
import { getUsersTimeline } from './posts/getUsersTimeline.js';
import { hidePostsReply } from './posts/hidePostsReply.js';
import { repostPost } from './posts/repostPost.js';
import { unrepostPost } from './posts/unrepostPost.js';
import { getSpacesById } from './spaces/getSpacesById.js';
import { getSpacesByIds } from './spaces/getSpacesByIds.js';
import { getSpacesByCreatorIds } from './spaces/getSpacesByCreatorIds.js';
import { searchSpaces } from './spaces/searchSpaces.js';
import { getSpacesBuyers } from './spaces/getSpacesBuyers.js';
import { getSpacesPosts } from './spaces/getSpacesPosts.js';
import { getTrendsByWoeid } from './posts/getTrendsByWoeid.js';
import { getTrendsPersonalizedTrends } from './trends/getTrendsPersonalizedTrends.js';
import { getCommunitiesById } from './communities/getCommunitiesById.js';
import { searchCommunities } from './communities/searchCommunities.js';
import { getPostsAnalytics } from './posts/getPostsAnalytics.js';
import { getRuleCounts } from './stream/getRuleCounts.js';
import { getRules } from './tweets/getRules.js';
import { updateRules } from './tweets/updateRules.js';
import { getUsage } from './usage/getUsage.js';
import { getUsageCredits } from './usage/getUsageCredits.js';
import { blockUser } from './users/blockUser.js';
import { followList } from './users/followList.js';
import { followUser } from './users/followUser.js';
import { getUsersBlocking } from './users/getUsersBlocking.js';
import { getUsersById } from './users/getUsersById.js';
import { getUsersByIds } from './users/getUsersByIds.js';
import { getUsersByUsername } from './users/getUsersByUsername.js';
import { getUsersByUsernames } from './users/getUsersByUsernames.js';
import { getUsersFollowedLists } from './users/getUsersFollowedLists.js';
import { getUsersListMemberships } from './users/getUsersListMemberships.js';
import { getUsersMe } from './users/getUsersMe.js';
import { getUsersMuting } from './users/getUsersMuting.js';
import { getUsersOwnedLists } from './users/getUsersOwnedLists.js';
import { getUsersPinnedLists } from './users/getUsersPinnedLists.js';
import { getUsersRepostsOfMe } from './users/getUsersRepostsOfMe.js';
import { muteUser } from './users/muteUser.js';
import { unblockUser } from './users/unblockUser.js';
import { unfollowUser } from './users/unfollowUser.js';
import { searchUsers } from './users/searchUsers.js';
import { getUsersAffiliates } from './users/getUsersAffiliates.js';
import { createAccountActivitySubscription } from './account-activity/createAccountActivitySubscription.js';
import { deleteAccountActivitySubscription } from './account-activity/deleteAccountActivitySubscription.js';
import { getAccountActivitySubscriptionCount } from './account-activity/getAccountActivitySubscriptionCount.js';
import { getAccountActivitySubscriptions } from './account-activity/getAccountActivitySubscriptions.js';
import { validateAccountActivitySubscription } from './account-activity/validateAccountActivitySubscription.js';
import { createActivitySubscription } from './activity/createActivitySubscription.js';
import { deleteActivitySubscription } from './activity/deleteActivitySubscription.js';
import { deleteActivitySubscriptionsByIds } from './activity/deleteActivitySubscriptionsByIds.js';
import { getActivitySubscriptions } from './activity/getActivitySubscriptions.js';
import { updateActivitySubscription } from './activity/updateActivitySubscription.js';
import { createComplianceJobs } from './compliance/createComplianceJobs.js';
import { getComplianceJobs } from './compliance/getComplianceJobs.js';
import { getComplianceJobsById } from './compliance/getComplianceJobsById.js';
import { createWebhookReplayJob } from './webhooks/createWebhookReplayJob.js';
import { createWebhooks } from './webhooks/createWebhooks.js';
import { createWebhooksStreamLink } from './webhooks/createWebhooksStreamLink.js';
import { deleteWebhooks } from './webhooks/deleteWebhooks.js';
import { deleteWebhooksStreamLink } from './webhooks/deleteWebhooksStreamLink.js';
import { getWebhooks } from './webhooks/getWebhooks.js';
import { getWebhooksStreamLinks } from './webhooks/getWebhooksStreamLinks.js';
import { validateWebhooks } from './webhooks/validateWebhooks.js';
import { createCommunityNotes } from './community-notes/createCommunityNotes.js';
import { deleteCommunityNotes } from './community-notes/deleteCommunityNotes.js';
import { evaluateCommunityNotes } from './community-notes/evaluateCommunityNotes.js';
import { searchCommunityNotesWritten } from './community-notes/searchCommunityNotesWritten.js';
import { searchEligiblePosts } from './community-notes/searchEligiblePosts.js';
import { getNews } from './news/getNews.js';
import { searchNews } from './search/searchNews.js';
import { createScheduledBroadcast } from './broadcasts/createScheduledBroadcast.js';
import { deleteScheduledBroadcast } from './broadcasts/deleteScheduledBroadcast.js';
import { getScheduledBroadcast } from './broadcasts/getScheduledBroadcast.js';
import { goLiveScheduledBroadcast } from './broadcasts/goLiveScheduledBroadcast.js';
import { listScheduledBroadcasts } from './broadcasts/listScheduledBroadcasts.js';
import { sendBroadcastChat } from './broadcasts/sendBroadcastChat.js';
import { updateScheduledBroadcast } from './broadcasts/updateScheduledBroadcast.js';
import { articleCreateDraft } from './articles/articleCreateDraft.js';
import { articlePublish } from './articles/articlePublish.js';
import { countsOperations } from './counts/post-counts.js';
import { followListOperations } from './users/follow-lists.js';
import { searchOperations } from './search/search-posts.js';
import { streamOperations } from './stream/stream-endpoints.js';

export const operations: readonly Operation[] = [
  createUsersBookmarkFolder,
  deleteUsersBookmark,
  addChatGroupMembers,
  addConversationKeys,
  addUserPublicKey,
  chatMediaDownload,
  chatMediaUploadAppend,
  chatMediaUploadFinalize,
  chatMediaUploadInitialize,
  createChatConversation,
  getChatConversation,
  getChatConversationEvents,
  getChatConversations,
  getUsersPublicKey,
  getUsersPublicKeys,
  initializeChatGroup,
  markChatConversationRead,
  sendChatMessage,
  sendChatTypingIndicator,
  deleteAllConnections,
  deleteConnectionsByEndpoint,
  deleteConnectionsByUuids,
  getConnectionHistory,
  blockUsersDms,
  createDirectMessagesByConversationId,
  createDirectMessagesByParticipantId,
  createDirectMessagesConversation,
  deleteDirectMessagesEvents,
  dmConversationsMediaDownload,
  getDirectMessagesEvents,
  getDirectMessagesEventsByConversationId,
  getDirectMessagesEventsById,
  getDirectMessagesEventsByParticipantId,
  unblockUsersDms,
  getOpenApiSpec,
  getPostsLikingUsers,
  likePost,
  unlikePost,
  addListsMember,
  createLists,
  deleteLists,
  getListsById,
  getListsFollowers,
  getListsMembers,
  getListsPosts,
  pinList,
  removeListsMemberByUserId,
  unfollowList,
  unpinList,
  updateLists,
  appendMediaUpload,
  createMediaMetadata,
  createMediaSubtitles,
  deleteMediaSubtitles,
  finalizeMediaUpload,
  getMediaAnalytics,
  getMediaByMediaKey,
  getMediaByMediaKeys,
  getMediaUploadStatus,
  initializeMediaUpload,
  mediaUpload,
  mediaUploadStatusV1,
  mediaUploadV1,
  unmuteUser,
  createPosts,
  createUsersBookmark,
  deletePosts,
  getPostsById,
  getPostsByIds,
  getPostsQuotedPosts,
  getPostsRepostedBy,
  getPostsReposts,
  getUsersBookmarkFolders,
  getUsersBookmarks,
  getUsersBookmarksByFolderId,
  getUsersLikedPosts,
  getUsersMentions,
  getUsersPosts,
  getUsersTimeline,
  hidePostsReply,
  repostPost,
  unrepostPost,
  getSpacesById,
  getSpacesByIds,
  getSpacesByCreatorIds,
  searchSpaces,
  getSpacesBuyers,
  getSpacesPosts,
  getTrendsByWoeid,
  getTrendsPersonalizedTrends,
  getCommunitiesById,
  searchCommunities,
  getPostsAnalytics,
  getRuleCounts,
  getRules,
  updateRules,
  getUsage,
  getUsageCredits,
  blockUser,
  followList,
  followUser,
  getUsersBlocking,
  getUsersById,
  getUsersByIds,
  getUsersByUsername,
  getUsersByUsernames,
  getUsersFollowedLists,
  getUsersListMemberships,
  getUsersMe,
  getUsersMuting,
  getUsersOwnedLists,
  getUsersPinnedLists,
  getUsersRepostsOfMe,
  muteUser,
  unblockUser,
  unfollowUser,
  searchUsers,
  getUsersAffiliates,
  createAccountActivitySubscription,
  deleteAccountActivitySubscription,
  getAccountActivitySubscriptionCount,
  getAccountActivitySubscriptions,
  validateAccountActivitySubscription,
  createActivitySubscription,
  deleteActivitySubscription,
  deleteActivitySubscriptionsByIds,
  getActivitySubscriptions,
  updateActivitySubscription,
  createComplianceJobs,
  getComplianceJobs,
  getComplianceJobsById,
  createWebhookReplayJob,
  createWebhooks,
  createWebhooksStreamLink,
  deleteWebhooks,
  deleteWebhooksStreamLink,
  getWebhooks,
  getWebhooksStreamLinks,
  validateWebhooks,
  createCommunityNotes,
  deleteCommunityNotes,
  evaluateCommunityNotes,
  searchCommunityNotesWritten,
  searchEligiblePosts,
  getNews,
  searchNews,
  createScheduledBroadcast,
  deleteScheduledBroadcast,
  getScheduledBroadcast,
  goLiveScheduledBroadcast,
  listScheduledBroadcasts,
  sendBroadcastChat,
  updateScheduledBroadcast,
  articleCreateDraft,
  articlePublish,
  ...countsOperations,
  ...followListOperations,
  ...searchOperations,
  ...streamOperations,
];
