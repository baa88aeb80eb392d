/**
 * Joining a response's `data` with its `includes`: X sends expanded objects (authors, referenced posts, media, polls,
 * places, topics) once each in `includes`, and the objects in `data` refer to them by id. `includesOf(response)`
 * indexes them (once per kind, on first use) and answers relations (`author(post)`, `media(post)`,
 * `pinnedPost(user)`, `hosts(space)`, …); `resolveIncludes(response)` returns the response with each object of `data`
 * copied and its relations added. Both read camelCase keys (the client's default) and the API's snake_case keys
 * (`camelCase: false`, stream events), both name generations (`referenced_tweets` / `referenced_posts`,
 * `includes.tweets` / `includes.posts`, `pinned_tweet_id` / `pinned_post_id`, …), and any object that has the keys:
 * a page, a paginator (merged `includes`), a stream event.
 */
import type * as S from './generated/schemas.js';

type Id = string | null | undefined;
type Ids = readonly string[] | null | undefined;

/** The element type of `includes[K]` of an includes type, if it has that key. */
type ItemOf<I, K extends string> = I extends unknown ? (K extends keyof I ? (NonNullable<I[K]> extends ReadonlyArray<infer E> ? E : never) : never) : never;
/** `T`, or `D` where `T` is never or unknown (`any` stays `any`). */
type Or<T, D> = 0 extends 1 & T ? T : [T] extends [never] ? D : unknown extends T ? D : T;

/** The `includes` type of a response type (the client's `Expansions` when it declares none). */
export type IncludesOf<R> = R extends { readonly includes?: infer I } ? Or<NonNullable<I>, S.Expansions> : S.Expansions;
export type IncludedUser<I> = Or<ItemOf<I, 'users'>, S.User>;
/** Posts of `includes.posts` and of `includes.tweets` (the classic name). */
export type IncludedPost<I> = Or<ItemOf<I, 'posts'> | ItemOf<I, 'tweets'>, S.Post>;
export type IncludedMedia<I> = Or<ItemOf<I, 'media'>, S.Media>;
export type IncludedPoll<I> = Or<ItemOf<I, 'polls'>, S.Poll>;
export type IncludedPlace<I> = Or<ItemOf<I, 'places'>, S.Place>;
export type IncludedTopic<I> = Or<ItemOf<I, 'topics'>, S.Topic>;

export type ReferenceType = 'quoted' | 'replied_to' | 'retweeted';
/** A reference of a post (or DM event) to another post, with that post when `includes` has it. */
export interface Reference<P> {
  type: ReferenceType;
  id: string;
  post: P | undefined;
}

type References = ReadonlyArray<{ readonly type: string; readonly id: string }> | null | undefined;

/** What the post relations read (either key style). */
export interface PostKeys {
  authorId?: Id;
  author_id?: Id;
  inReplyToUserId?: Id;
  in_reply_to_user_id?: Id;
  referencedPosts?: References;
  referencedTweets?: References;
  referenced_posts?: References;
  referenced_tweets?: References;
  attachments?: { mediaKeys?: Ids; media_keys?: Ids; pollIds?: Ids; poll_ids?: Ids; mediaSourceTweetId?: Ids; media_source_tweet_id?: Ids } | null;
  geo?: { placeId?: Id; place_id?: Id } | null;
  entities?: { mentions?: ReadonlyArray<{ username?: string | null; id?: string | null }> | null } | null;
  editHistoryPostIds?: Ids;
  editHistoryTweetIds?: Ids;
  edit_history_post_ids?: Ids;
  edit_history_tweet_ids?: Ids;
}
export interface UserKeys {
  pinnedPostId?: Id;
  pinnedTweetId?: Id;
  pinned_post_id?: Id;
  pinned_tweet_id?: Id;
  mostRecentPostId?: Id;
  mostRecentTweetId?: Id;
  most_recent_post_id?: Id;
  most_recent_tweet_id?: Id;
  affiliation?: { userId?: Ids; user_id?: Ids } | null;
}
export interface SpaceKeys {
  creatorId?: Id;
  creator_id?: Id;
  hostIds?: Ids;
  host_ids?: Ids;
  speakerIds?: Ids;
  speaker_ids?: Ids;
  invitedUserIds?: Ids;
  invited_user_ids?: Ids;
  topicIds?: Ids;
  topic_ids?: Ids;
}
export interface ListKeys {
  ownerId?: Id;
  owner_id?: Id;
}
export interface DmEventKeys extends Pick<PostKeys, 'referencedPosts' | 'referencedTweets' | 'referenced_posts' | 'referenced_tweets' | 'attachments'> {
  senderId?: Id;
  sender_id?: Id;
  participantIds?: Ids;
  participant_ids?: Ids;
}
/** A like of the likes streams. */
export interface LikeKeys {
  likedTweetId?: Id;
  liked_tweet_id?: Id;
  likedPostId?: Id;
  liked_post_id?: Id;
  likedTweetAuthorId?: Id;
  liked_tweet_author_id?: Id;
  tweetAuthorId?: Id;
  tweet_author_id?: Id;
}

/** `o[camel]`, else `o[snake]`. */
const key = (o: any, camel: string, snake: string): any => (o == null ? undefined : o[camel] ?? o[snake]);
const list = (v: unknown): readonly any[] => (Array.isArray(v) ? v : []);
const present = <T>(xs: (T | undefined)[]): T[] => xs.filter((x): x is T => x !== undefined);

/** The index of one `includes` object; see the module comment. */
export class Includes<I = S.Expansions> {
  private readonly source: any;
  private readonly maps: Record<string, Map<string, any>> = {};

  constructor(includes: I | null | undefined) {
    this.source = includes ?? {};
  }

  /** The objects of `includes[kind]` by `field`, built on first use (`tweets` and `posts` as one). */
  private map(kind: string, field: (o: any) => unknown): Map<string, any> {
    let m = this.maps[kind];
    if (!m) {
      m = this.maps[kind] = new Map();
      const kinds = kind === 'posts' ? [this.source.posts, this.source.tweets] : [this.source[kind === 'usernames' ? 'users' : kind]];
      for (const o of kinds.flatMap(list)) {
        const k = field(o);
        // The first object of a key wins, as in the response (a repeat would be a server's duplicate).
        if (typeof k === 'string' && !m.has(k)) m.set(k, o);
      }
    }
    return m;
  }

  private one<T>(kind: string, id: unknown): T | undefined {
    return typeof id === 'string' ? this.map(kind, (o) => o?.id).get(id) : undefined;
  }

  private many<T>(kind: string, ids: unknown): T[] {
    return present(list(ids).map((id) => this.one<T>(kind, id)));
  }

  // ---------- lookups ----------

  userById(id: Id): IncludedUser<I> | undefined {
    return this.one('users', id);
  }
  /** Case-insensitive, as usernames are. */
  userByUsername(username: Id): IncludedUser<I> | undefined {
    return typeof username === 'string' ? this.map('usernames', (o) => o?.username?.toLowerCase()).get(username.toLowerCase()) : undefined;
  }
  postById(id: Id): IncludedPost<I> | undefined {
    return this.one('posts', id);
  }
  mediaByKey(mediaKey: Id): IncludedMedia<I> | undefined {
    return typeof mediaKey === 'string' ? this.map('media', (o) => key(o, 'mediaKey', 'media_key')).get(mediaKey) : undefined;
  }
  pollById(id: Id): IncludedPoll<I> | undefined {
    return this.one('polls', id);
  }
  placeById(id: Id): IncludedPlace<I> | undefined {
    return this.one('places', id);
  }
  topicById(id: Id): IncludedTopic<I> | undefined {
    return this.one('topics', id);
  }

  // ---------- posts (and DM events: referenced posts, media) ----------

  /** `author_id` expansion. */
  author(post: PostKeys): IncludedUser<I> | undefined {
    return this.userById(key(post, 'authorId', 'author_id'));
  }
  /** `in_reply_to_user_id` expansion. */
  inReplyToUser(post: PostKeys): IncludedUser<I> | undefined {
    return this.userById(key(post, 'inReplyToUserId', 'in_reply_to_user_id'));
  }
  /** Users of `entities.mentions` (`entities.mentions.username` expansion), by id when given, else by username. */
  mentions(post: PostKeys): IncludedUser<I>[] {
    return present(list(post?.entities?.mentions).map((m) => this.userById(m?.id) ?? this.userByUsername(m?.username)));
  }
  /** `referenced_tweets` / `referenced_posts`, each with its post (`referenced_tweets.id` expansion) when included. */
  referenced(post: PostKeys | DmEventKeys): Reference<IncludedPost<I>>[] {
    const refs = key(post, 'referencedTweets', 'referenced_tweets') ?? key(post, 'referencedPosts', 'referenced_posts');
    return list(refs).map((r) => ({ type: r.type, id: r.id, post: this.postById(r.id) }));
  }
  /** The quoted post. */
  quoted(post: PostKeys): IncludedPost<I> | undefined {
    return this.referenced(post).find((r) => r.type === 'quoted')?.post;
  }
  /** The post this one replies to. */
  repliedTo(post: PostKeys): IncludedPost<I> | undefined {
    return this.referenced(post).find((r) => r.type === 'replied_to')?.post;
  }
  /** The post this one reposts (a retweet). */
  reposted(post: PostKeys): IncludedPost<I> | undefined {
    return this.referenced(post).find((r) => r.type === 'retweeted')?.post;
  }
  /** `attachments.media_keys`, in the post's order. */
  media(post: PostKeys | DmEventKeys): IncludedMedia<I>[] {
    return present(list(key(post?.attachments, 'mediaKeys', 'media_keys')).map((k) => this.mediaByKey(k)));
  }
  /** `attachments.poll_ids` (a post has at most one poll). */
  poll(post: PostKeys): IncludedPoll<I> | undefined {
    return this.pollById(list(key(post?.attachments, 'pollIds', 'poll_ids'))[0]);
  }
  /** `geo.place_id`. */
  place(post: PostKeys): IncludedPlace<I> | undefined {
    return this.placeById(key(post?.geo, 'placeId', 'place_id'));
  }
  /** `edit_history_tweet_ids` / `edit_history_post_ids` that are in `includes` (earlier versions; the post itself is not). */
  editHistory(post: PostKeys): IncludedPost<I>[] {
    const ids = key(post, 'editHistoryTweetIds', 'edit_history_tweet_ids') ?? key(post, 'editHistoryPostIds', 'edit_history_post_ids');
    return this.many('posts', ids);
  }
  /** `attachments.media_source_tweet_id`: the posts the attached media first appeared in. */
  mediaSourcePosts(post: PostKeys): IncludedPost<I>[] {
    return this.many('posts', key(post?.attachments, 'mediaSourceTweetId', 'media_source_tweet_id'));
  }

  // ---------- users ----------

  /** `pinned_tweet_id` / `pinned_post_id`. */
  pinnedPost(user: UserKeys): IncludedPost<I> | undefined {
    return this.postById(key(user, 'pinnedTweetId', 'pinned_tweet_id') ?? key(user, 'pinnedPostId', 'pinned_post_id'));
  }
  /** `most_recent_tweet_id` / `most_recent_post_id`. */
  mostRecentPost(user: UserKeys): IncludedPost<I> | undefined {
    return this.postById(key(user, 'mostRecentTweetId', 'most_recent_tweet_id') ?? key(user, 'mostRecentPostId', 'most_recent_post_id'));
  }
  /** `affiliation.user_id`: the accounts the user is affiliated with. */
  affiliatedWith(user: UserKeys): IncludedUser<I>[] {
    return this.many('users', key(user?.affiliation, 'userId', 'user_id'));
  }

  // ---------- spaces, lists, DM events, likes ----------

  creator(space: SpaceKeys): IncludedUser<I> | undefined {
    return this.userById(key(space, 'creatorId', 'creator_id'));
  }
  hosts(space: SpaceKeys): IncludedUser<I>[] {
    return this.many('users', key(space, 'hostIds', 'host_ids'));
  }
  speakers(space: SpaceKeys): IncludedUser<I>[] {
    return this.many('users', key(space, 'speakerIds', 'speaker_ids'));
  }
  invitedUsers(space: SpaceKeys): IncludedUser<I>[] {
    return this.many('users', key(space, 'invitedUserIds', 'invited_user_ids'));
  }
  topics(space: SpaceKeys): IncludedTopic<I>[] {
    return this.many('topics', key(space, 'topicIds', 'topic_ids'));
  }
  owner(list: ListKeys): IncludedUser<I> | undefined {
    return this.userById(key(list, 'ownerId', 'owner_id'));
  }
  sender(event: DmEventKeys): IncludedUser<I> | undefined {
    return this.userById(key(event, 'senderId', 'sender_id'));
  }
  participants(event: DmEventKeys): IncludedUser<I>[] {
    return this.many('users', key(event, 'participantIds', 'participant_ids'));
  }
  likedPost(like: LikeKeys): IncludedPost<I> | undefined {
    return this.postById(key(like, 'likedTweetId', 'liked_tweet_id') ?? key(like, 'likedPostId', 'liked_post_id'));
  }
  likedPostAuthor(like: LikeKeys): IncludedUser<I> | undefined {
    return this.userById(key(like, 'likedTweetAuthorId', 'liked_tweet_author_id') ?? key(like, 'tweetAuthorId', 'tweet_author_id'));
  }
}

/**
 * The index of `response.includes` (a page, a paginator, a stream event, anything with `includes`). Each kind is
 * indexed at its first lookup: after a paginator fetched more pages, take a new index.
 */
export function includesOf<R extends object>(response: R | null | undefined): Includes<IncludesOf<R>> {
  return new Includes<IncludesOf<R>>((response as { includes?: IncludesOf<R> } | null | undefined)?.includes);
}

// ---------- resolveIncludes ----------

/** Whether the type `T` declares one of the keys `K`. */
type Has<T, K extends PropertyKey> = [Extract<keyof NonNullable<T>, K>] extends [never] ? false : true;
type When<C extends boolean, T> = C extends true ? T : unknown;
type Sub<T, K extends PropertyKey> = T extends object ? (K extends keyof T ? NonNullable<T[K]> : never) : never;

/** The relations `resolveIncludes` adds to an object of type `E`: those whose reference keys `E` declares. */
export type Relations<E, I> = When<Has<E, 'authorId' | 'author_id'>, { author?: IncludedUser<I> }> &
  When<Has<E, 'inReplyToUserId' | 'in_reply_to_user_id'>, { inReplyToUser?: IncludedUser<I> }> &
  When<Has<Sub<E, 'entities'>, 'mentions'>, { mentions?: IncludedUser<I>[] }> &
  When<Has<E, 'referencedPosts' | 'referencedTweets' | 'referenced_posts' | 'referenced_tweets'>, {
    referenced?: Reference<IncludedPost<I>>[];
    quoted?: IncludedPost<I>;
    repliedTo?: IncludedPost<I>;
    reposted?: IncludedPost<I>;
  }> &
  When<Has<Sub<E, 'attachments'>, 'mediaKeys' | 'media_keys'>, { media?: IncludedMedia<I>[] }> &
  When<Has<Sub<E, 'attachments'>, 'pollIds' | 'poll_ids'>, { poll?: IncludedPoll<I> }> &
  When<Has<Sub<E, 'attachments'>, 'mediaSourceTweetId' | 'media_source_tweet_id'>, { mediaSourcePosts?: IncludedPost<I>[] }> &
  When<Has<Sub<E, 'geo'>, 'placeId' | 'place_id'>, { place?: IncludedPlace<I> }> &
  When<Has<E, 'editHistoryPostIds' | 'editHistoryTweetIds' | 'edit_history_post_ids' | 'edit_history_tweet_ids'>, { editHistory?: IncludedPost<I>[] }> &
  When<Has<E, 'pinnedPostId' | 'pinnedTweetId' | 'pinned_post_id' | 'pinned_tweet_id'>, { pinnedPost?: IncludedPost<I> }> &
  When<Has<E, 'mostRecentPostId' | 'mostRecentTweetId' | 'most_recent_post_id' | 'most_recent_tweet_id'>, { mostRecentPost?: IncludedPost<I> }> &
  When<Has<Sub<E, 'affiliation'>, 'userId' | 'user_id'>, { affiliatedWith?: IncludedUser<I>[] }> &
  When<Has<E, 'creatorId' | 'creator_id'>, { creator?: IncludedUser<I> }> &
  When<Has<E, 'hostIds' | 'host_ids'>, { hosts?: IncludedUser<I>[] }> &
  When<Has<E, 'speakerIds' | 'speaker_ids'>, { speakers?: IncludedUser<I>[] }> &
  When<Has<E, 'invitedUserIds' | 'invited_user_ids'>, { invitedUsers?: IncludedUser<I>[] }> &
  When<Has<E, 'topicIds' | 'topic_ids'>, { topics?: IncludedTopic<I>[] }> &
  When<Has<E, 'ownerId' | 'owner_id'>, { owner?: IncludedUser<I> }> &
  When<Has<E, 'senderId' | 'sender_id'>, { sender?: IncludedUser<I> }> &
  When<Has<E, 'participantIds' | 'participant_ids'>, { participants?: IncludedUser<I>[] }> &
  When<Has<E, 'likedTweetId' | 'liked_tweet_id' | 'likedPostId' | 'liked_post_id'>, { likedPost?: IncludedPost<I> }> &
  When<Has<E, 'likedTweetAuthorId' | 'liked_tweet_author_id' | 'tweetAuthorId' | 'tweet_author_id'>, { likedPostAuthor?: IncludedUser<I> }>;

/** An object of `data` with its relations. */
export type Resolved<E, I = S.Expansions> = E & Relations<E, I>;
type ResolvedData<D, I> = D extends ReadonlyArray<infer E> ? Resolved<E, I>[] : D extends object ? Resolved<D, I> : D;
/** A response whose `data` objects carry their relations. */
export type WithIncludes<R> = { [K in keyof R]: K extends 'data' ? ResolvedData<R[K], IncludesOf<R>> : R[K] };

/** Each relation: the keys that make an object have it, and how it is resolved. */
const RELATIONS: [name: string, has: (o: any) => unknown, of: (inc: Includes<any>, o: any) => unknown][] = [
  ['author', (o) => key(o, 'authorId', 'author_id'), (inc, o) => inc.author(o)],
  ['inReplyToUser', (o) => key(o, 'inReplyToUserId', 'in_reply_to_user_id'), (inc, o) => inc.inReplyToUser(o)],
  ['mentions', (o) => o.entities?.mentions, (inc, o) => inc.mentions(o)],
  ['referenced', (o) => key(o, 'referencedTweets', 'referenced_tweets') ?? key(o, 'referencedPosts', 'referenced_posts'), (inc, o) => inc.referenced(o)],
  ['media', (o) => key(o.attachments, 'mediaKeys', 'media_keys'), (inc, o) => inc.media(o)],
  ['poll', (o) => key(o.attachments, 'pollIds', 'poll_ids'), (inc, o) => inc.poll(o)],
  ['mediaSourcePosts', (o) => key(o.attachments, 'mediaSourceTweetId', 'media_source_tweet_id'), (inc, o) => inc.mediaSourcePosts(o)],
  ['place', (o) => key(o.geo, 'placeId', 'place_id'), (inc, o) => inc.place(o)],
  ['editHistory', (o) => key(o, 'editHistoryTweetIds', 'edit_history_tweet_ids') ?? key(o, 'editHistoryPostIds', 'edit_history_post_ids'), (inc, o) => inc.editHistory(o)],
  ['pinnedPost', (o) => key(o, 'pinnedTweetId', 'pinned_tweet_id') ?? key(o, 'pinnedPostId', 'pinned_post_id'), (inc, o) => inc.pinnedPost(o)],
  ['mostRecentPost', (o) => key(o, 'mostRecentTweetId', 'most_recent_tweet_id') ?? key(o, 'mostRecentPostId', 'most_recent_post_id'), (inc, o) => inc.mostRecentPost(o)],
  ['affiliatedWith', (o) => key(o.affiliation, 'userId', 'user_id'), (inc, o) => inc.affiliatedWith(o)],
  ['creator', (o) => key(o, 'creatorId', 'creator_id'), (inc, o) => inc.creator(o)],
  ['hosts', (o) => key(o, 'hostIds', 'host_ids'), (inc, o) => inc.hosts(o)],
  ['speakers', (o) => key(o, 'speakerIds', 'speaker_ids'), (inc, o) => inc.speakers(o)],
  ['invitedUsers', (o) => key(o, 'invitedUserIds', 'invited_user_ids'), (inc, o) => inc.invitedUsers(o)],
  ['topics', (o) => key(o, 'topicIds', 'topic_ids'), (inc, o) => inc.topics(o)],
  ['owner', (o) => key(o, 'ownerId', 'owner_id'), (inc, o) => inc.owner(o)],
  ['sender', (o) => key(o, 'senderId', 'sender_id'), (inc, o) => inc.sender(o)],
  ['participants', (o) => key(o, 'participantIds', 'participant_ids'), (inc, o) => inc.participants(o)],
  ['likedPost', (o) => key(o, 'likedTweetId', 'liked_tweet_id') ?? key(o, 'likedPostId', 'liked_post_id'), (inc, o) => inc.likedPost(o)],
  ['likedPostAuthor', (o) => key(o, 'likedTweetAuthorId', 'liked_tweet_author_id') ?? key(o, 'tweetAuthorId', 'tweet_author_id'), (inc, o) => inc.likedPostAuthor(o)],
];

function resolveOne(inc: Includes<any>, o: any): any {
  if (!o || typeof o !== 'object') return o;
  const out: Record<string, unknown> = { ...o };
  for (const [name, has, of] of RELATIONS) if (has(o) != null) out[name] = of(inc, o);
  if (out.referenced) {
    for (const r of out.referenced as Reference<unknown>[]) {
      const name = r.type === 'quoted' ? 'quoted' : r.type === 'replied_to' ? 'repliedTo' : r.type === 'retweeted' ? 'reposted' : undefined;
      if (name && !(name in out)) out[name] = r.post;
    }
  }
  return out;
}

/**
 * The response with each object of `data` (one or a list) copied and given the relations its keys name, e.g. a
 * post's `author`, `media`, `poll`, `place`, `referenced` (+ `quoted`, `repliedTo`, `reposted`), a user's
 * `pinnedPost`, a space's `hosts`. A relation is added when the object has its reference key; an id whose object is
 * not in `includes` (X then reports it in `errors`) resolves to undefined, and is left out of lists. The response and
 * its objects are not changed.
 */
export function resolveIncludes<R extends object>(response: R): WithIncludes<R> {
  const inc = new Includes<any>((response as { includes?: unknown }).includes);
  const data = (response as { data?: unknown }).data;
  if (data === undefined) return { ...response } as WithIncludes<R>;
  return { ...response, data: Array.isArray(data) ? data.map((o) => resolveOne(inc, o)) : resolveOne(inc, data) } as WithIncludes<R>;
}
