import type { UserRow } from '../data/rows.js';

/** @XDevelopers as X's quickstart shows it; the default app's owner and the demo world's anchor account. */
export const XDEVELOPERS_ID = '2244994945';
export const XDEVELOPERS_PINNED_POST_ID = '1460323737035677698';

export function xdevelopersUser(overrides: Partial<UserRow> = {}): UserRow {
  return {
    id: XDEVELOPERS_ID,
    username: 'XDevelopers',
    name: 'X Developers',
    description: 'The voice of the X Developer Platform',
    location: '127.0.0.1',
    url: 'https://t.co/3ZX3TNiZCY',
    profileImageUrl: 'https://pbs.twimg.com/profile_images/1683501992314798080/xl1POYLw_normal.jpg',
    profileBannerUrl: null,
    protected: false,
    verified: true,
    verifiedType: 'business',
    suspended: false,
    createdAt: Date.parse('2013-12-14T04:35:55.000Z'),
    pinnedPostId: null,
    mostRecentPostId: null,
    followersCount: 0,
    followingCount: 0,
    tweetCount: 0,
    listedCount: 0,
    likeCount: 0,
    entities: {
      url: { urls: [{ start: 0, end: 23, url: 'https://t.co/3ZX3TNiZCY', expanded_url: 'https://developer.x.com', display_url: 'developer.x.com' }] },
    },
    withheld: null,
    ...overrides,
  };
}
