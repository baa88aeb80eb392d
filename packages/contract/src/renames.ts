/**
 * Spec 2.167 renamed post-related names (FACTS §2.4). Keys are the 2.167 ("modern") names, values the classic
 * names every client in the wild still sends. Used by the generator (to give every field and expansion
 * parameter both vocabularies) and by the server (to answer in the generation the client asked with).
 */
export const paramRenames: Readonly<Record<string, string>> = {
  'post.fields': 'tweet.fields',
};

/** Values inside *.fields parameters. */
export const fieldValueRenames: Readonly<Record<string, string>> = {
  edit_history_post_ids: 'edit_history_tweet_ids',
  referenced_posts: 'referenced_tweets',
  note_post: 'note_tweet',
  pinned_post_id: 'pinned_tweet_id',
  most_recent_post_id: 'most_recent_tweet_id',
};

/** Values inside the expansions parameter. */
export const expansionValueRenames: Readonly<Record<string, string>> = {
  edit_history_post_ids: 'edit_history_tweet_ids',
  referenced_posts: 'referenced_tweets.id',
  pinned_post_id: 'pinned_tweet_id',
  most_recent_post_id: 'most_recent_tweet_id',
};

/**
 * Values of a *.fields parameter that the classic generation accepts and spec 2.167 no longer lists. X's DM
 * lookups still take `sender_id`, `participant_ids` and `referenced_tweets` in `dm_event.fields` (its docs list
 * them as available fields; twitter-api-v2 and tweepy send them); 2.167 reaches them only through expansions.
 */
export const classicOnlyFieldValues: Readonly<Record<string, readonly string[]>> = {
  'dm_event.fields': ['participant_ids', 'referenced_tweets', 'sender_id'],
};

/** Keys inside response objects (posts, users, metrics, includes). */
export const responseKeyRenames: Readonly<Record<string, string>> = {
  edit_history_post_ids: 'edit_history_tweet_ids',
  referenced_posts: 'referenced_tweets',
  note_post: 'note_tweet',
  pinned_post_id: 'pinned_tweet_id',
  most_recent_post_id: 'most_recent_tweet_id',
  repost_count: 'retweet_count',
  post_count: 'tweet_count',
  total_post_count: 'total_tweet_count',
  posts: 'tweets',
};

export function invert(map: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map)) out[v] = k;
  return out;
}
