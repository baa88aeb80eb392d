/**
 * Types of the generated surface, checked by the repository's `npm run typecheck` (tsc over the test files):
 * method arguments, options and responses, paginators, streams, operation functions, sub-client members. The
 * `@ts-expect-error` lines fail the type check if what they call ever becomes accepted.
 */
import { describe, expectTypeOf, it } from 'vitest';
import {
  BaseClient, Client, getUsersByUsername, getUsersFollowers, PostPaginator, streamPosts, UserPaginator, UsersClient, TrendsClient,
  type EventDrivenStream, type Paginator, type Posts, type Schemas, type Stream, type Trends, type Users,
} from '../src/index.js';

const client = new Client({ bearerToken: 't', transport: async () => Promise.reject(new Error('no request in type tests')) });
const base = new BaseClient({ bearerToken: 't' });
/** Type-checks calls without making them. */
const typeOnly = (_calls: () => void): void => undefined;

describe('generated methods', () => {
  it('take the official positional arguments and typed options, and resolve to the typed response', () => {
    expectTypeOf(client.users.getByUsername).parameters.toEqualTypeOf<[username: string, options?: Users.GetByUsernameOptions]>();
    expectTypeOf(client.users.getByUsername).returns.toEqualTypeOf<Promise<Users.GetByUsernameResponse>>();
    expectTypeOf<Users.GetByUsernameResponse['data']>().toEqualTypeOf<Schemas.User | undefined>();
    expectTypeOf(client.posts.create).parameters.toEqualTypeOf<[body: Posts.CreateRequest, options?: Posts.CreateOptions]>();
    expectTypeOf(client.trends.getByWoeid).parameter(0).toEqualTypeOf<number>();
    expectTypeOf<Trends.GetByWoeidResponse>().toEqualTypeOf<Schemas.GetTrendsByWoeidResponse>();
  });

  it('options accept camelCase and API names, field values in either case, and nothing else', () => {
    expectTypeOf<Users.GetByUsernameOptions>().toHaveProperty('userFields');
    expectTypeOf<Users.GetByUsernameOptions>().toHaveProperty('user.fields');
    expectTypeOf<Users.GetByUsernameOptions>().toHaveProperty('requestOptions');
    expectTypeOf<'created_at'>().toMatchTypeOf<NonNullable<Users.GetByUsernameOptions['userFields']>[number]>();
    expectTypeOf<'createdAt'>().toMatchTypeOf<NonNullable<Users.GetByUsernameOptions['userFields']>[number]>();
    expectTypeOf<Posts.SearchRecentOptions['startTime']>().toEqualTypeOf<string | Date | undefined>();
    typeOnly(() => {
      void client.users.getByUsername('x', { userFields: ['created_at', 'publicMetrics'], 'tweet.fields': ['author_id'], expansions: ['pinned_tweet_id'] });
      // @ts-expect-error: not a user field
      void client.users.getByUsername('x', { userFields: ['followers'] });
      // @ts-expect-error: not an option of this method
      void client.users.getByUsername('x', { maxResults: 10 });
      // @ts-expect-error: the username is required
      void client.users.getByUsername();
      // @ts-expect-error: a post's id is a string
      void client.posts.getById(20);
    });
  });

  it('paginated methods give the paginator class of their items; streaming methods a stream', () => {
    expectTypeOf(client.users.getFollowers.paginate).parameters.toEqualTypeOf<[id: string, options?: Users.GetFollowersOptions]>();
    expectTypeOf(client.users.getFollowers.paginate).returns.toEqualTypeOf<UserPaginator<Schemas.User>>();
    expectTypeOf(client.posts.searchRecent.paginate).returns.toEqualTypeOf<PostPaginator<Schemas.Post>>();
    expectTypeOf(client.stream.getRules.paginate).returns.toEqualTypeOf<Paginator<Schemas.GetRulesResponseData>>();
    expectTypeOf(client.stream.posts).parameters.toEqualTypeOf<[options?: Stream.PostsOptions]>();
    expectTypeOf(client.stream.posts).returns.toEqualTypeOf<Promise<EventDrivenStream>>();
    typeOnly(() => {
      // @ts-expect-error: not a paginated method
      void client.users.getByUsername.paginate;
    });
  });
});

describe('sub-clients', () => {
  it('Client has the 21 sub-clients, each with exactly its methods', () => {
    expectTypeOf(client.users).toEqualTypeOf<UsersClient>();
    expectTypeOf(client).toHaveProperty('communityNotes');
    expectTypeOf(client).toHaveProperty('accountActivity');
    expectTypeOf<keyof TrendsClient>().toEqualTypeOf<'getByWoeid' | 'getPersonalized'>();
    expectTypeOf<keyof Client['usage']>().toEqualTypeOf<'get'>();
    expectTypeOf<UsersClient>().toHaveProperty('getFollowers');
    expectTypeOf<UsersClient>().toHaveProperty('likePost');
    typeOnly(() => {
      // @ts-expect-error: no such method
      void client.users.getByName;
      // @ts-expect-error: no such sub-client
      void client.tweets;
    });
  });

  it('stand on their own on a BaseClient or a configuration, and can be subclassed', () => {
    const users = new UsersClient(base);
    expectTypeOf(users.client).toEqualTypeOf<BaseClient>();
    expectTypeOf(new UsersClient({ bearerToken: 't' }).getMe).returns.toEqualTypeOf<Promise<Users.GetMeResponse>>();
    expectTypeOf(new TrendsClient()).toHaveProperty('getPersonalized');
    class Mine extends UsersClient {
      override getMe(options?: Users.GetMeOptions): Promise<Users.GetMeResponse> {
        return super.getMe(options);
      }
    }
    expectTypeOf(new Mine(base).getMe).returns.toEqualTypeOf<Promise<Users.GetMeResponse>>();
    typeOnly(() => {
      // @ts-expect-error: a sub-client is built on a client or a configuration
      void new UsersClient('token');
    });
  });
});

describe('operation functions', () => {
  it('take the client, then the arguments of their method', () => {
    expectTypeOf(getUsersByUsername).parameters.toEqualTypeOf<[client: BaseClient, username: string, options?: Users.GetByUsernameOptions]>();
    expectTypeOf(getUsersByUsername).returns.toEqualTypeOf<Promise<Users.GetByUsernameResponse>>();
    expectTypeOf(getUsersFollowers.paginate).parameters.toEqualTypeOf<[client: BaseClient, id: string, options?: Users.GetFollowersOptions]>();
    expectTypeOf(getUsersFollowers.paginate).returns.toEqualTypeOf<UserPaginator<Schemas.User>>();
    expectTypeOf(streamPosts).returns.toEqualTypeOf<Promise<EventDrivenStream>>();
    typeOnly(() => {
      void getUsersByUsername(client, 'x'); // a Client is a BaseClient
      // @ts-expect-error: the client comes first
      void getUsersByUsername('x', base);
      // @ts-expect-error: only paginated operations have paginate
      void getUsersByUsername.paginate;
    });
  });
});
