/**
 * The SDK is statically modular: every sub-client has all its methods from the start as real prototype methods,
 * nothing is loaded at run time (the error and retry code are there before any request fails), and a bundler keeps
 * only what an app imports.
 */
import { types } from 'node:util';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it, vi } from 'vitest';
import {
  ApiError, BaseClient, Client, EventPaginator, getPostsById, getUsersByUsername, getUsersFollowers, methodNames, Paginator, PostPaginator,
  PostsClient, searchPostsRecent, UserPaginator, UsersClient, type Transport, type TransportRequest,
} from '../src/index.js';

const SRC = join(import.meta.dirname, '..', 'src');

/** A transport that records requests and answers each with `answer(n)` (n = 0, 1, …): a status, or a thrown error. */
function recording(answer: (n: number) => number | Error = () => 200) {
  const sent: TransportRequest[] = [];
  const transport: Transport = async (req) => {
    const a = answer(sent.length);
    sent.push(req);
    if (a instanceof Error) throw a;
    const body = a === 200 ? JSON.stringify({ data: [], meta: { result_count: 0 } }) : JSON.stringify({ title: 'Service Unavailable', detail: 'down' });
    return {
      status: a,
      statusText: a === 200 ? 'OK' : 'Service Unavailable',
      headers: { get: (n: string) => (n === 'content-type' ? 'application/json' : null) },
      text: async () => body,
      arrayBuffer: async () => new TextEncoder().encode(body).buffer,
      read: async () => undefined,
      cancel: () => undefined,
    };
  };
  const config = { baseUrl: 'http://x.test', bearerToken: 'B', accessToken: 'U', transport, sleep: async () => undefined };
  return { sent, config, client: new Client(config) };
}

describe('sub-clients', () => {
  it("have every method of every sub-client from the start, as a real prototype method ('x' in client.posts)", () => {
    const { client } = recording();
    expect(Object.keys(methodNames)).toHaveLength(21);
    let n = 0;
    for (const [sub, names] of Object.entries(methodNames)) {
      const s = (client as any)[sub];
      expect(types.isProxy(s), sub).toBe(false);
      const proto = Object.getPrototypeOf(s);
      for (const m of names) {
        expect(m in s, `${sub}.${m}`).toBe(true);
        expect(Object.hasOwn(proto, m), `${sub}.${m} on the prototype`).toBe(true);
        expect(typeof proto[m], `${sub}.${m}`).toBe('function');
        n++;
      }
      // Nothing else that looks like an operation: the prototype holds exactly the sub-client's methods.
      expect(Object.getOwnPropertyNames(proto).filter((k) => k !== 'constructor').sort(), sub).toEqual([...names].sort());
    }
    expect(n).toBe(171);
  });

  it('are not thenables and do not answer names they do not have', async () => {
    const { client } = recording();
    for (const probe of ['then', 'catch', 'toJSON', 'inspect', 'noSuchMethod']) expect(probe in client.posts, probe).toBe(false);
    expect(await Promise.resolve(client.posts)).toBe(client.posts);
    expect(client.posts.constructor.name).toBe('PostsClient');
    expect(client.posts).toBeInstanceOf(PostsClient);
  });

  it('paginated methods carry paginate, of the right paginator class, bound to their instance', async () => {
    const { client, sent } = recording();
    expect(client.posts.searchRecent.paginate('q')).toBeInstanceOf(PostPaginator);
    expect(client.users.getFollowers.paginate('1')).toBeInstanceOf(UserPaginator);
    expect(client.directMessages.getEvents.paginate()).toBeInstanceOf(EventPaginator);
    const plain = client.stream.getRules.paginate();
    expect(plain).toBeInstanceOf(Paginator);
    expect(plain).not.toBeInstanceOf(PostPaginator);
    expect((client.posts.getById as any).paginate).toBeUndefined();
    const p = client.lists.getMembers.paginate('7', { maxResults: 5, paginationToken: 'T0' });
    expect(p.nextToken).toBe('T0');
    await p.fetchNext();
    expect(sent.map((r) => r.url)).toEqual(['http://x.test/2/lists/7/members?max_results=5&pagination_token=T0']);
    const other = recording();
    expect(other.client.lists.getMembers).not.toBe(client.lists.getMembers);
  });

  it('can be spied on and subclassed like any class (overrides of paginated methods too)', async () => {
    const { client, sent } = recording();
    const spy = vi.spyOn(client.posts, 'getById').mockResolvedValue({ data: { id: 'mocked' } } as any);
    expect((await client.posts.getById('9')).data?.id).toBe('mocked');
    expect(spy).toHaveBeenCalledWith('9');
    const followers = vi.spyOn(client.users, 'getFollowers');
    await client.users.getFollowers('3');
    expect(followers).toHaveBeenCalledWith('3');
    class Mine extends PostsClient {
      override getById(): any {
        return 'overridden';
      }
    }
    class Paged extends UsersClient {
      getFollowers = Object.assign(async () => 'own', { paginate: () => 'own paginate' }) as any;
    }
    const mine = new Mine(client);
    await mine.getByIds(['2']);
    expect(mine.getById()).toBe('overridden');
    expect(new Paged(client).getFollowers.paginate('1')).toBe('own paginate');
    // A subclass method overriding a paginated one is what its instance's method calls; paginate stays the operation's.
    // (TypeScript declares paginated methods as properties, so this override is written as JavaScript would be.)
    const Logged = class extends (UsersClient as any) {
      calls = 0;
      getFollowing(...args: unknown[]) {
        this.calls++;
        return super.getFollowing(...args);
      }
    };
    const logged = new (Logged as any)(client);
    await logged.getFollowing('4');
    expect(logged.calls).toBe(1);
    expect(logged.getFollowing.paginate('4')).toBeInstanceOf(UserPaginator);
    expect(sent.map((r) => r.url)).toEqual(['http://x.test/2/users/3/followers', 'http://x.test/2/tweets?ids=2', 'http://x.test/2/users/4/following']);
  });

  it('stand on their own, on a BaseClient or on a configuration', async () => {
    const { config, sent } = recording();
    const base = new BaseClient(config);
    const users = new UsersClient(base);
    expect(users.client).toBe(base);
    await users.getByUsername('XDevelopers', { userFields: ['created_at'] });
    const own = new UsersClient(config);
    expect(own.client).toBeInstanceOf(BaseClient);
    expect(own.client).not.toBeInstanceOf(Client);
    await own.getMe();
    expect(sent.map((r) => `${r.url} ${r.headers.authorization}`)).toEqual([
      'http://x.test/2/users/by/username/XDevelopers?user.fields=created_at Bearer B',
      'http://x.test/2/users/me Bearer U',
    ]);
  });
});

describe('operation functions', () => {
  it('take the client first, then the method arguments; paginated ones have paginate(client, …)', async () => {
    const { client, sent } = recording();
    await getUsersByUsername(client, 'XDevelopers', { userFields: ['createdAt'] });
    await getPostsById(new BaseClient(recording().config), '1'); // any BaseClient
    const p = searchPostsRecent.paginate(client, 'from:x', { maxResults: 10 });
    expect(p).toBeInstanceOf(PostPaginator);
    await p.fetchNext();
    expect(getUsersFollowers.paginate(client, '5')).toBeInstanceOf(UserPaginator);
    expect(sent.map((r) => r.url)).toEqual(['http://x.test/2/users/by/username/XDevelopers?user.fields=created_at', 'http://x.test/2/tweets/search/recent?query=from%3Ax&max_results=10']);
  });

  it('a bad argument rejects (as every failure of a call does) rather than throwing', async () => {
    const { client, sent } = recording();
    const call = client.posts.create({ text: 'x', count: 1n } as any); // JSON.stringify throws on a BigInt
    expect(call).toBeInstanceOf(Promise);
    await expect(call).rejects.toThrow(TypeError);
    expect(sent).toEqual([]);
  });
});

describe('nothing is loaded at run time', () => {
  it('a failing request is retried and ends in an ApiError, with no import() anywhere on the way', async () => {
    const { client, sent } = recording((n) => (n === 0 ? Object.assign(new Error('connect ECONNRESET'), { code: 'ECONNRESET' }) : 503));
    const err = await client.users.getByUsername('x', { requestOptions: { maxRetries: 2 } }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(503);
    expect(err.detail).toBe('down');
    expect(sent).toHaveLength(3);
  });

  /** Bundles `code` (importing the SDK's sources) for browsers, with code splitting on. */
  async function bundle(code: string) {
    const r = await build({
      stdin: { contents: code, resolveDir: SRC, loader: 'ts' },
      bundle: true, splitting: true, format: 'esm', platform: 'browser', outdir: '/out', write: false, minify: false, logLevel: 'silent',
    });
    return { files: r.outputFiles.length, text: r.outputFiles.map((f) => f.text).join('\n') };
  }

  it('the full Client bundles as one file (nothing to fetch later) holding the error and retry code', async () => {
    const { files, text } = await bundle(`import { Client } from './index.js';\nnew Client({ bearerToken: 'x' }).users.getByUsername('x').then(console.log);\n`);
    expect(files).toBe(1);
    expect(text).not.toMatch(/\bimport\s*\(/);
    for (const s of ['ApiError = class', 'Network error on', 'retry-after', '/2/tweets/search/stream', 'backfill_minutes']) expect(text, s).toContain(s);
  });

  it('one operation function bundles without the other operations, paginators or streams, but with errors and retries', async () => {
    const { files, text } = await bundle(`import { BaseClient } from './core.js';\nimport { getUsersByUsername } from './generated/users.js';\ngetUsersByUsername(new BaseClient({ bearerToken: 'x' }), 'x').then(console.log);\n`);
    expect(files).toBe(1);
    expect(text).toContain('getByUsername GET /2/users/by/username/{username}');
    for (const s of ['ApiError = class', 'Network error on', 'retry-after']) expect(text, s).toContain(s);
    for (const s of ['getByIds GET', '/2/users/{id}/followers', '/2/tweets', 'Paginator = class', 'backfill_minutes', 'EventDrivenStream = class', 'defineSubClient', 'getBuiltinModule']) {
      expect(text, s).not.toContain(s);
    }
  });
});
