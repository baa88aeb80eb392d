import { followList } from './follow-lists.js';

export const getUsersFollowing = followList('getUsersFollowing', 'following');
