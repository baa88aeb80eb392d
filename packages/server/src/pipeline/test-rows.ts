/** Rows for the pipeline's unit tests: every column at a plain default, overridable. */
import type { PostRow, UserRow } from '../data/rows.js';

const T0 = 1_700_000_000_000;

export function testUser(id: string, over: Partial<UserRow> = {}): UserRow {
  return {
    id,
    username: `user${id}`,
    name: `User ${id}`,
    description: '',
    location: null,
    url: null,
    profileImageUrl: `https://img.example/${id}.png`,
    profileBannerUrl: null,
    protected: false,
    verified: false,
    verifiedType: 'none',
    suspended: false,
    createdAt: T0,
    pinnedPostId: null,
    mostRecentPostId: null,
    followersCount: 0,
    followingCount: 0,
    tweetCount: 0,
    listedCount: 0,
    likeCount: 0,
    entities: null,
    withheld: null,
    ...over,
  };
}

export function testPost(id: string, authorId: string, over: Partial<PostRow> = {}): PostRow {
  return {
    id,
    authorId,
    text: `post ${id}`,
    createdAt: T0,
    conversationId: id,
    inReplyToPostId: null,
    inReplyToUserId: null,
    quotedPostId: null,
    repostedPostId: null,
    editRootId: id,
    editCount: 0,
    lang: 'en',
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
    ...over,
  };
}
