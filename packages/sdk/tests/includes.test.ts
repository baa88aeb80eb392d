/**
 * The includes resolver: relations of posts, users, spaces, lists, DM events and likes resolved from `includes`, in
 * both key styles (camelCase as the client returns responses, snake_case as streams deliver events and as
 * `camelCase: false` returns them) and both name generations (`referenced_tweets` / `referenced_posts`,
 * `includes.tweets` / `includes.posts`); and their types.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  Client, includesOf, Paginator, resolveIncludes, type Includes, type Posts, type Reference, type Schemas, type StreamDataEvent,
  type Transport, type Users,
} from '../src/index.js';

const alice = { id: '1', username: 'Alice', name: 'Alice' };
const bob = { id: '2', username: 'bob', name: 'Bob' };
/** Posts as the test's `includes` hold them (a post type of the API has every key optional, authorId included). */
type Post = { id: string; text: string; authorId?: string };
const quotedPost: Post = { id: '10', text: 'quoted', authorId: '2' };
const parentPost: Post = { id: '11', text: 'parent' };
const earlier: Post = { id: '12', text: 'first version' };
const photo = { mediaKey: '3_1', type: 'photo' };
const video = { mediaKey: '7_2', type: 'video' };
const poll = { id: 'p1', options: [{ position: 1, label: 'yes', votes: 0 }] };
const place = { id: 'pl1', fullName: 'Paris, France' };

/** A page as the client returns it: camelCase keys, the classic names X sends (`referencedTweets`, `includes.tweets`). */
const page = {
  data: [
    {
      id: '100',
      text: 'hello @bob',
      authorId: '1',
      inReplyToUserId: '2',
      referencedTweets: [
        { type: 'quoted', id: '10' },
        { type: 'replied_to', id: '11' },
        { type: 'retweeted', id: '999' }, // not in includes (X reports it in errors)
      ],
      attachments: { mediaKeys: ['7_2', 'missing', '3_1'], pollIds: ['p1'] },
      geo: { placeId: 'pl1' },
      entities: { mentions: [{ start: 6, end: 10, username: 'BOB' }] },
      editHistoryTweetIds: ['100', '12'],
    },
    { id: '101', text: 'plain', authorId: '404' },
  ],
  includes: { users: [alice, bob], tweets: [quotedPost, parentPost, earlier], media: [photo, video], polls: [poll], places: [place] },
  errors: [{ title: 'Not Found Error', resource_id: '999' }],
};

describe('includesOf', () => {
  it('resolves the relations of a post from a camelCase response', () => {
    const inc = includesOf(page);
    const [post, other] = page.data;
    expect(inc.author(post)).toBe(alice);
    expect(inc.inReplyToUser(post)).toBe(bob);
    expect(inc.mentions(post)).toEqual([bob]); // usernames match case-insensitively
    expect(inc.referenced(post)).toEqual([
      { type: 'quoted', id: '10', post: quotedPost },
      { type: 'replied_to', id: '11', post: parentPost },
      { type: 'retweeted', id: '999', post: undefined },
    ]);
    expect(inc.quoted(post)).toBe(quotedPost);
    expect(inc.repliedTo(post)).toBe(parentPost);
    expect(inc.reposted(post)).toBeUndefined();
    expect(inc.media(post)).toEqual([video, photo]); // the post's order; a key not included is left out
    expect(inc.poll(post)).toBe(poll);
    expect(inc.place(post)).toBe(place);
    expect(inc.editHistory(post)).toEqual([earlier]);
    // The author of a referenced post, when `referenced_tweets.id.author_id` was asked for.
    expect(inc.author(inc.quoted(post)!)).toBe(bob);
    expect(inc.author(other)).toBeUndefined();
    expect(inc.media(other)).toEqual([]);
    expect(inc.poll(other)).toBeUndefined();
  });

  it('resolves snake_case objects (a stream event as sent) and the 2.167 names (referenced_posts, includes.posts)', () => {
    const event = {
      data: {
        id: '200', author_id: '1', in_reply_to_user_id: '2', referenced_posts: [{ type: 'quoted', id: '10' }],
        attachments: { media_keys: ['3_1'], poll_ids: ['p1'], media_source_tweet_id: ['11'] }, geo: { place_id: 'pl1' },
        edit_history_post_ids: ['200', '12'],
      },
      includes: { users: [alice, bob], posts: [{ id: '10', author_id: '2' }, parentPost, earlier] as { id: string; author_id?: string }[], media: [{ media_key: '3_1', type: 'photo' }], polls: [poll], places: [place] },
      matching_rules: [{ id: 'r1', tag: 'x' }],
    };
    const inc = includesOf(event);
    expect(inc.author(event.data)).toBe(alice);
    expect(inc.inReplyToUser(event.data)).toBe(bob);
    expect(inc.quoted(event.data)).toEqual({ id: '10', author_id: '2' });
    expect(inc.author(inc.quoted(event.data)!)).toBe(bob);
    expect(inc.media(event.data)).toEqual([{ media_key: '3_1', type: 'photo' }]);
    expect(inc.poll(event.data)).toBe(poll);
    expect(inc.place(event.data)).toBe(place);
    expect(inc.editHistory(event.data)).toEqual([earlier]);
    expect(inc.mediaSourcePosts(event.data)).toEqual([parentPost]);
    // Posts of both arrays, when a response has both.
    const both = includesOf({ includes: { tweets: [quotedPost], posts: [parentPost] } });
    expect([both.postById('10'), both.postById('11')]).toEqual([quotedPost, parentPost]);
  });

  it('resolves users, spaces, lists, DM events and likes', () => {
    const pinned = { id: '30', text: 'pinned' };
    const recent = { id: '31', text: 'recent' };
    const org = { id: '5', username: 'org' };
    const topic = { id: 't1', name: 'Tech' };
    const inc = includesOf({ includes: { users: [alice, bob, org], tweets: [pinned, recent], topics: [topic], media: [photo] } });
    expect(inc.pinnedPost({ pinnedTweetId: '30' })).toBe(pinned);
    expect(inc.pinnedPost({ pinned_post_id: '30' })).toBe(pinned);
    expect(inc.mostRecentPost({ most_recent_tweet_id: '31' })).toBe(recent);
    expect(inc.mostRecentPost({ mostRecentPostId: '31' })).toBe(recent);
    expect(inc.affiliatedWith({ affiliation: { userId: ['5'] } })).toEqual([org]);
    const space = { id: 's', creatorId: '1', hostIds: ['1', '2'], speakerIds: ['2', '8'], invited_user_ids: ['5'], topicIds: ['t1'] };
    expect(inc.creator(space)).toBe(alice);
    expect(inc.hosts(space)).toEqual([alice, bob]);
    expect(inc.speakers(space)).toEqual([bob]);
    expect(inc.invitedUsers(space)).toEqual([org]);
    expect(inc.topics(space)).toEqual([topic]);
    expect(inc.owner({ owner_id: '2' })).toBe(bob);
    const dm = { id: 'd', senderId: '1', participantIds: ['1', '2'], referencedTweets: [{ type: 'quoted', id: '30' }], attachments: { mediaKeys: ['3_1'] } };
    expect(inc.sender(dm)).toBe(alice);
    expect(inc.participants(dm)).toEqual([alice, bob]);
    expect(inc.referenced(dm)).toEqual([{ type: 'quoted', id: '30', post: pinned }]);
    expect(inc.media(dm)).toEqual([photo]);
    expect(inc.likedPost({ liked_tweet_id: '31' })).toBe(recent);
    expect(inc.likedPostAuthor({ tweetAuthorId: '2' })).toBe(bob);
    expect(inc.likedPostAuthor({ liked_tweet_author_id: '1' })).toBe(alice);
  });

  it('lookups by id, username and media key; nothing for what is absent; no includes at all is fine', () => {
    const inc = includesOf(page);
    expect(inc.userById('2')).toBe(bob);
    expect(inc.userByUsername('alice')).toBe(alice);
    expect(inc.postById('12')).toBe(earlier);
    expect(inc.mediaByKey('3_1')).toBe(photo);
    expect(inc.pollById('p1')).toBe(poll);
    expect(inc.placeById('pl1')).toBe(place);
    for (const id of [undefined, null, '', 'nope', 'constructor', '__proto__']) {
      expect(inc.userById(id)).toBeUndefined();
      expect(inc.postById(id)).toBeUndefined();
      expect(inc.userByUsername(id)).toBeUndefined();
    }
    const none = includesOf({ data: { id: '1', authorId: '1' } });
    expect(none.author({ authorId: '1' })).toBeUndefined();
    expect(none.media({ attachments: { mediaKeys: ['3_1'] } })).toEqual([]);
    expect(includesOf(undefined).userById('1')).toBeUndefined();
    // A server's duplicate: the first object of an id is the one resolved.
    expect(includesOf({ includes: { users: [alice, { ...alice, name: 'other' }] } }).userById('1')).toBe(alice);
  });

  it("works on a paginator (its includes merged over the pages) and on the client's camelCased responses", async () => {
    const pages: Record<string, any> = {
      '': { data: [{ id: 'a', authorId: '1' }], includes: { users: [alice] }, meta: { nextToken: 'n' } },
      n: { data: [{ id: 'b', authorId: '2' }], includes: { users: [bob] } },
    };
    const p = new Paginator(async (token?: string) => pages[token ?? '']);
    await p.fetchNext();
    await p.fetchNext();
    const inc = includesOf(p);
    expect(p.items.map((post: any) => inc.author(post)?.username)).toEqual(['Alice', 'bob']);
    expectTypeOf(inc.author).returns.toEqualTypeOf<Schemas.User | undefined>(); // a paginator's includes are the client's

    const body = JSON.stringify({
      data: { id: '1', author_id: '2', referenced_tweets: [{ type: 'quoted', id: '10' }] },
      includes: { users: [{ id: '2', username: 'bob', profile_image_url: 'u' }], tweets: [{ id: '10', text: 'q' }] },
    });
    const transport: Transport = async () => ({
      status: 200, statusText: 'OK', headers: { get: () => null }, text: async () => body,
      arrayBuffer: async () => new ArrayBuffer(0), read: async () => undefined, cancel: () => undefined,
    });
    const res = await new Client({ bearerToken: 'B', transport }).posts.getById('1', { expansions: ['author_id', 'referenced_posts'] });
    const resolved = resolveIncludes(res);
    expect(resolved.data?.author?.profileImageUrl).toBe('u');
    expect(resolved.data?.quoted).toEqual({ id: '10', text: 'q' });
  });
});

describe('resolveIncludes', () => {
  it('returns the response with copies of the data objects, each given the relations its keys name', () => {
    const before = JSON.stringify(page);
    const out = resolveIncludes(page);
    expect(JSON.stringify(page)).toBe(before); // nothing changed in place
    expect(out.includes).toBe(page.includes);
    expect(out.errors).toBe(page.errors);
    const [post, other] = out.data;
    expect(post).not.toBe(page.data[0]);
    expect(post).toMatchObject({ id: '100', text: 'hello @bob', authorId: '1' });
    expect(post.author).toBe(alice);
    expect(post.inReplyToUser).toBe(bob);
    expect(post.mentions).toEqual([bob]);
    expect(post.referenced!.map((r) => r.post)).toEqual([quotedPost, parentPost, undefined]);
    expect(post.quoted).toBe(quotedPost);
    expect(post.repliedTo).toBe(parentPost);
    expect('reposted' in post && post.reposted).toBeUndefined(); // referenced, not included
    expect(post.media).toEqual([video, photo]);
    expect(post.poll).toBe(poll);
    expect(post.place).toBe(place);
    expect(post.editHistory).toEqual([earlier]);
    // Only the relations whose keys an object has.
    expect(Object.keys(other).sort()).toEqual(['author', 'authorId', 'id', 'text']);
    expect(other.author).toBeUndefined();
  });

  it('one object, objects of other kinds, and a response without data', () => {
    const user = resolveIncludes({ data: { id: '1', pinnedTweetId: '10' }, includes: { tweets: [quotedPost] } });
    expect(user.data.pinnedPost).toBe(quotedPost);
    expect(Object.keys(user.data).sort()).toEqual(['id', 'pinnedPost', 'pinnedTweetId']);
    const spaces = resolveIncludes({ data: [{ id: 's', creator_id: '2', host_ids: ['1'] }], includes: { users: [alice, bob] } });
    expect(spaces.data[0]).toMatchObject({ creator: bob, hosts: [alice] });
    const empty = resolveIncludes({ errors: [{ title: 'x' }] } as { data?: Schemas.Post[]; errors: unknown[] });
    expect(empty).toEqual({ errors: [{ title: 'x' }] });
    expect('data' in empty).toBe(false);
  });
});

describe('types', () => {
  it('relations have the types of the response’s includes (the client’s Schemas for its responses)', () => {
    const res: Posts.GetByIdResponse = { data: { id: '1' } };
    const inc = includesOf(res);
    expectTypeOf(inc).toEqualTypeOf<Includes<Schemas.Expansions>>();
    const post = res.data!;
    expectTypeOf(inc.author(post)).toEqualTypeOf<Schemas.User | undefined>();
    expectTypeOf(inc.media(post)).toEqualTypeOf<Schemas.Media[]>();
    expectTypeOf(inc.poll(post)).toEqualTypeOf<Schemas.Poll | undefined>();
    expectTypeOf(inc.place(post)).toEqualTypeOf<Schemas.Place | undefined>();
    expectTypeOf(inc.referenced(post)).toEqualTypeOf<Reference<Schemas.Post>[]>();
    expectTypeOf(inc.quoted(post)).toEqualTypeOf<Schemas.Post | undefined>();
    expectTypeOf(inc.pinnedPost({} as Schemas.User)).toEqualTypeOf<Schemas.Post | undefined>();
    expectTypeOf(inc.hosts({} as Schemas.Space)).toEqualTypeOf<Schemas.User[]>();
    expectTypeOf(inc.topics({} as Schemas.Space)).toEqualTypeOf<Schemas.Topic[]>();
    expectTypeOf(inc.mediaByKey).parameter(0).toEqualTypeOf<string | null | undefined>();
    // A relation of another kind of object is refused: a user has no author, a post no pinned post.
    // @ts-expect-error: User shares no key with PostKeys
    inc.author({} as Schemas.User);
    // @ts-expect-error: Post shares no key with UserKeys
    inc.pinnedPost(post);
  });

  it("follows the response's own includes type: snake_case, classic names, events typed any", () => {
    type Author = { id: string; user_name: string };
    type Tweet = { id: string; author_id?: string; referenced_tweets?: { type: string; id: string }[] };
    const res: { data: Tweet[]; includes?: { users?: Author[]; tweets?: Tweet[] } } = { data: [{ id: '1' }] };
    const inc = includesOf(res);
    expectTypeOf(inc.author(res.data[0])).toEqualTypeOf<Author | undefined>();
    expectTypeOf(inc.quoted(res.data[0])).toEqualTypeOf<Tweet | undefined>();
    // Kinds the includes type does not declare fall back to the client's Schemas.
    expectTypeOf(inc.poll(res.data[0])).toEqualTypeOf<Schemas.Poll | undefined>();
    const event: StreamDataEvent = { data: { id: '1' } };
    expectTypeOf(includesOf(event).author(event.data)).toBeAny();
  });

  it('resolveIncludes adds exactly the relations an object type declares keys for', () => {
    const posts = resolveIncludes({} as Posts.SearchRecentResponse);
    type P = NonNullable<typeof posts.data>[number];
    expectTypeOf<P['author']>().toEqualTypeOf<Schemas.User | undefined>();
    expectTypeOf<P['media']>().toEqualTypeOf<Schemas.Media[] | undefined>();
    expectTypeOf<P['quoted']>().toEqualTypeOf<Schemas.Post | undefined>();
    expectTypeOf<P['referenced']>().toEqualTypeOf<Reference<Schemas.Post>[] | undefined>();
    expectTypeOf<P['text']>().toEqualTypeOf<string | undefined>(); // the post's own fields stay
    expectTypeOf(posts.meta).toEqualTypeOf<Posts.SearchRecentResponse['meta']>();
    expectTypeOf<P>().not.toHaveProperty('pinnedPost');
    expectTypeOf<P>().not.toHaveProperty('hosts');

    const user = resolveIncludes<Users.GetByUsernameResponse>({ data: { id: '1' } }).data!;
    expectTypeOf(user.pinnedPost).toEqualTypeOf<Schemas.Post | undefined>();
    expectTypeOf(user.mostRecentPost).toEqualTypeOf<Schemas.Post | undefined>();
    expectTypeOf(user).not.toHaveProperty('author');
    expectTypeOf(user).not.toHaveProperty('mentions'); // a user's entities hold no `mentions` of its own

    const snake = resolveIncludes({ data: { id: '1', author_id: '2' }, includes: { users: [{ id: '2', handle: 'h' }] } });
    expectTypeOf(snake.data.author).toEqualTypeOf<{ id: string; handle: string } | undefined>();
    expectTypeOf(snake.data).not.toHaveProperty('media');
  });
});
