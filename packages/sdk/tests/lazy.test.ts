/**
 * Sub-clients load their descriptors on first use (so a bundle that only looks up users carries no other
 * operation): what a caller can rely on before and after the load, with a transport that records requests.
 */
import { describe, expect, it, vi } from 'vitest';
import { format, plugins } from '@vitest/pretty-format';
import { Client, EventPaginator, Paginator, PostPaginator, UserPaginator, type Transport, type TransportRequest } from '../src/index.js';

function recording() {
  const sent: TransportRequest[] = [];
  const transport: Transport = async (req) => {
    sent.push(req);
    const body = JSON.stringify({ data: [], meta: { result_count: 0 } });
    return {
      status: 200,
      statusText: 'OK',
      headers: { get: (n: string) => (n === 'content-type' ? 'application/json' : null) },
      text: async () => body,
      arrayBuffer: async () => new TextEncoder().encode(body).buffer,
      read: async () => undefined,
      cancel: () => undefined,
    };
  };
  return { sent, client: new Client({ baseUrl: 'http://x.test', bearerToken: 'B', accessToken: 'U', transport }) };
}

describe('lazy sub-clients', () => {
  it('before their first call, methods are functions and the sub-client is not a thenable', async () => {
    const { client } = recording();
    expect(typeof client.posts.getById).toBe('function');
    expect(typeof client.lists.getMembers).toBe('function');
    for (const probe of ['then', 'catch', 'toJSON', 'asymmetricMatch', 'nodeType', 'inspect', '$$typeof', '@@iterator']) expect((client.posts as any)[probe], probe).toBeUndefined();
    expect(() => JSON.stringify({ posts: client.posts })).toThrow(/circular/); // as for any sub-client (it holds its client), no call made
    expect(await Promise.resolve(client.posts)).toBe(client.posts); // awaiting it does not hang
    expect(client.posts.constructor.name).toBe('PostsClient');
    expect(client.posts).toBeInstanceOf((await import('../src/index.js')).PostsClient);
  });

  it('a call loads the descriptors and sends the operation; afterwards the properties are the real ones', async () => {
    const { client, sent } = recording();
    await client.posts.getById('20', { postFields: ['created_at'] });
    expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual(['GET http://x.test/2/tweets/20?post.fields=created_at']);
    expect((client.posts as any).noSuchMethod).toBeUndefined();
    expect(typeof client.posts.searchRecent.paginate).toBe('function');
  });

  it('an unknown method name rejects with a TypeError once the descriptors are known, and sends nothing', async () => {
    const { client, sent } = recording();
    await expect((client.communityNotes as any).noSuchMethod()).rejects.toThrow(new TypeError('CommunityNotesClient.noSuchMethod is not a function'));
    expect(sent).toEqual([]);
  });

  it('paginated methods have their paginate helper, of the right kind, before the load', () => {
    const { client } = recording();
    expect(client.posts.searchRecent.paginate('q')).toBeInstanceOf(PostPaginator);
    expect(client.users.getFollowers.paginate('1')).toBeInstanceOf(UserPaginator);
    expect(client.directMessages.getEvents.paginate()).toBeInstanceOf(EventPaginator);
    const plain = client.stream.getRules.paginate();
    expect(plain).toBeInstanceOf(Paginator);
    expect(plain).not.toBeInstanceOf(PostPaginator);
    expect((client.posts.getById as any).paginate).toBeUndefined();
  });

  it('a lazy paginate walks pages with the method arguments and the page token', async () => {
    const { client, sent } = recording();
    const p = client.lists.getMembers.paginate('7', { maxResults: 5, paginationToken: 'T0' });
    expect(p.nextToken).toBe('T0');
    await p.fetchNext();
    expect(sent.map((r) => r.url)).toEqual(['http://x.test/2/lists/7/members?max_results=5&pagination_token=T0']);
    expect(p.done).toBe(true);
  });

  it('what is set on a sub-client (a spy, a property, a subclass method) wins, before and after the descriptors load', async () => {
    const { client, sent } = recording();
    const spy = vi.spyOn(client.posts, 'getById').mockResolvedValue({ data: { id: 'mocked' } } as any); // before any access
    (client.posts as any).custom = 5;
    await client.posts.getByIds(['1']); // loads the posts descriptors
    expect((await client.posts.getById('9')).data?.id).toBe('mocked');
    expect(spy).toHaveBeenCalledWith('9');
    expect((client.posts as any).custom).toBe(5);
    expect(sent.map((r) => r.url)).toEqual(['http://x.test/2/tweets?ids=1']);
    const { PostsClient } = await import('../src/index.js');
    class Mine extends (PostsClient as any) {
      getById() {
        return 'overridden';
      }
    }
    const mine = new (Mine as any)(client);
    await mine.getByIds(['2']);
    expect(mine.getById()).toBe('overridden');
  });

  it('printing a client (as test matchers do, DOM plugin included) calls nothing and leaves no rejection behind', async () => {
    const { client, sent } = recording();
    const rejections: unknown[] = [];
    const onRejection = (e: unknown) => rejections.push(e);
    process.on('unhandledRejection', onRejection);
    try {
      format(client, { plugins: [plugins.DOMElement, plugins.DOMCollection, plugins.Immutable, plugins.ReactElement, plugins.ReactTestComponent, plugins.AsymmetricMatcher], maxDepth: 2 });
      await new Promise((r) => setTimeout(r, 20));
    } finally {
      process.off('unhandledRejection', onRejection);
    }
    expect(rejections).toEqual([]);
    expect(sent).toEqual([]);
  });

  it('a descriptor module that failed to load is loaded again on the next call', async () => {
    const { client, sent } = recording();
    const { lazySubClients } = await import('../src/operation.js');
    let attempts = 0;
    const table = async () => ({
      loaders: {
        posts: async () => {
          if (++attempts === 1) throw new Error('chunk load failed');
          return import('../src/generated/posts.js');
        },
      },
    });
    const Lazy = lazySubClients({ posts: '' }, table).posts as any;
    const c = new Lazy(client);
    await expect(c.getById('1')).rejects.toThrow('chunk load failed');
    await c.getById('1');
    expect(attempts).toBe(2);
    expect(sent.map((r) => r.url)).toEqual(['http://x.test/2/tweets/1']);
  });

  it('users has its lookups built in; its other methods load with their first call', async () => {
    const { client, sent } = recording();
    const proto = Object.getPrototypeOf(client.users);
    for (const m of ['getByIds', 'getByUsernames', 'getByUsername', 'getMe', 'getById']) expect(Object.hasOwn(proto, m), m).toBe(true);
    expect(Object.hasOwn(proto, 'getFollowers')).toBe(false);
    await client.users.getByUsername('XDevelopers');
    await client.users.followUser('1', { targetUserId: '2' });
    expect(sent.map((r) => `${r.method} ${r.url} ${r.body ?? ''}`)).toEqual([
      'GET http://x.test/2/users/by/username/XDevelopers ',
      'POST http://x.test/2/users/1/following {"target_user_id":"2"}',
    ]);
  });
});
