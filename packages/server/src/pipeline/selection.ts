import { expansionValueRenames, fieldValueRenames, type Generation } from '@roost/contract';

/**
 * What a request asked to see: fields per object type and expansions, normalized to the classic names used
 * inside Roost, plus the name generation the response must speak (FACTS §2.4).
 */
export interface Selection {
  generation: Generation;
  post: Set<string>;
  user: Set<string>;
  media: Set<string>;
  poll: Set<string>;
  place: Set<string>;
  list: Set<string>;
  /** dm_event.fields, chat_conversation.fields, chat_message_event.fields, public_key.fields. */
  dmEvent: Set<string>;
  chatConversation: Set<string>;
  chatEvent: Set<string>;
  publicKey: Set<string>;
  expansions: Set<string>;
}

const classicField = (v: string) => fieldValueRenames[v] ?? v;
const classicExpansion = (v: string) => expansionValueRenames[v] ?? v;
const modernFieldNames = new Set(Object.keys(fieldValueRenames));
const modernExpansionNames = new Set(Object.keys(expansionValueRenames));

export type ListParams = Readonly<Record<string, unknown>>;

/**
 * The field an expansion hangs on is returned whenever the expansion is asked, as X does (`expansions=author_id`
 * alone returns `data.author_id`): clients need it to find the expanded object in `includes`.
 */
const EXPANSION_FIELDS: Readonly<Record<string, { post?: readonly string[]; user?: readonly string[]; list?: readonly string[] }>> = {
  author_id: { post: ['author_id'] },
  in_reply_to_user_id: { post: ['in_reply_to_user_id'] },
  'referenced_tweets.id': { post: ['referenced_tweets'] },
  'referenced_tweets.id.author_id': { post: ['referenced_tweets', 'author_id'] },
  'referenced_tweets.id.attachments.media_keys': { post: ['referenced_tweets', 'attachments'] },
  'attachments.media_keys': { post: ['attachments'] },
  'article.cover_media': { post: ['article'] },
  'article.media_entities': { post: ['article'] },
  'attachments.poll_ids': { post: ['attachments'] },
  'geo.place_id': { post: ['geo'] },
  'entities.mentions.username': { post: ['entities'] },
  'entities.note.mentions.username': { post: ['note_tweet'] },
  pinned_tweet_id: { user: ['pinned_tweet_id'] },
  most_recent_tweet_id: { user: ['most_recent_tweet_id'] },
  affiliation: { user: ['affiliation'] },
  owner_id: { list: ['owner_id'] },
};

/**
 * `expansionFields: false`: the expansions expand another object than posts and users (DM events share the names
 * `attachments.media_keys` and `referenced_tweets.id`), so they add no post or user field.
 */
export function selectionFrom(params: ListParams, opts: { expansionFields?: boolean } = {}): Selection {
  const list = (k: string): string[] => (Array.isArray(params[k]) ? (params[k] as string[]) : []);
  const postModern = list('post.fields');
  const postClassic = list('tweet.fields');
  const expansions = list('expansions');
  const userFields = list('user.fields');
  const dmEventFields = list('dm_event.fields');
  const modern =
    (params['post.fields'] !== undefined && params['tweet.fields'] === undefined) ||
    expansions.some((e) => modernExpansionNames.has(e)) ||
    postModern.some((f) => modernFieldNames.has(f)) ||
    userFields.some((f) => modernFieldNames.has(f)) ||
    dmEventFields.some((f) => modernFieldNames.has(f));
  const exp = new Set(expansions.map(classicExpansion));
  const post = new Set([...postClassic, ...postModern].map(classicField));
  const user = new Set(userFields.map(classicField));
  const listFields = new Set(list('list.fields'));
  if (opts.expansionFields !== false) {
    for (const e of exp) {
      const f = EXPANSION_FIELDS[e];
      f?.post?.forEach((x) => post.add(x));
      f?.user?.forEach((x) => user.add(x));
      f?.list?.forEach((x) => listFields.add(x));
    }
  }
  return {
    generation: modern ? 'modern' : 'classic',
    post,
    user,
    media: new Set(list('media.fields')),
    poll: new Set(list('poll.fields')),
    place: new Set(list('place.fields')),
    list: listFields,
    dmEvent: new Set(dmEventFields.map(classicField)),
    chatConversation: new Set(list('chat_conversation.fields')),
    chatEvent: new Set(list('chat_message_event.fields')),
    publicKey: new Set(list('public_key.fields')),
    expansions: exp,
  };
}

export const emptySelection = (): Selection => selectionFrom({});
