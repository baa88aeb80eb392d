/** Rows for the pipeline's unit tests: every column at a plain default, overridable. */
import { newPostRow, type PostRow, type UserRow } from '../data/rows.js';

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
  return { ...newPostRow(id, authorId, T0), text: `post ${id}`, lang: 'en', ...over };
}
