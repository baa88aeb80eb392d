import { followList } from './follow-lists.js';

export const getUsersFollowers = followList('getUsersFollowers', 'followers');
