/**
 * Turns the generated descriptor rows into sub-client classes. A row is
 * "name METHOD path positional flags auth page": positional = API names of the positional parameters (path ones
 * are substituted into the path, the rest go to the query), flags = 1 JSON body, 2 binary answer, 4 stream,
 * 8 pages with `next_token` (else `pagination_token`); auth = bitmask of acceptable schemes; page = paginator kind.
 */
import type { Client, CallSpec } from './client.js';
import { camelToSnake, memo } from './keys.js';
import { EventPaginator, Paginator, PostPaginator, UserPaginator } from './paginator.js';
import type { RequestOptions, StreamOptionsBase } from './types.js';

export interface OperationRow {
  name: string;
  method: string;
  path: string;
  positional: string[];
  pathParams: boolean[];
  flags: number;
  auth: number;
  page: number;
}

export type SubClientConstructor<T> = new (client: Client) => T;

function parseRow(row: string): OperationRow {
  const [name, method, path, pos, flags, auth, page] = row.split(' ');
  const positional = pos === '-' ? [] : pos.split(',');
  return { name, method, path, positional, pathParams: positional.map((p) => path.includes(`{${p}}`)), flags: +flags, auth: +auth, page: +page };
}

/** Option key → API parameter name: `userFields` → `user.fields`, `maxResults` → `max_results`; API names pass. */
export const apiName = memo((key) => (/[._]/.test(key) ? key : key.endsWith('Fields') ? camelToSnake(key.slice(0, -6)) + '.fields' : camelToSnake(key)));

const STREAM_KEYS = new Set(['requestOptions', 'headers', 'signal', 'reconnect']);

function serialize(api: string, v: unknown): string {
  if (Array.isArray(v)) {
    if (api.endsWith('.fields')) return v.map((f: string) => (f.indexOf('_') === -1 ? camelToSnake(f) : f)).join(',');
    return v.join(',');
  }
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

/** Builds path + query of a call from positional arguments and the options object. */
export function buildPath(row: OperationRow, args: readonly unknown[], options: Record<string, unknown> | undefined, stream: boolean): string {
  let path = row.path;
  let query = '';
  for (let i = 0; i < row.positional.length; i++) {
    const name = row.positional[i];
    const v = args[i];
    if (row.pathParams[i]) path = path.replace(`{${name}}`, encodeURIComponent(String(v)));
    else if (v !== undefined && v !== null) query += `&${name}=${encodeURIComponent(serialize(name, v))}`;
  }
  if (options) {
    let seen: Record<string, true> | undefined;
    for (const key in options) {
      const v = options[key];
      if (v === undefined || v === null || key === 'requestOptions' || (stream && STREAM_KEYS.has(key))) continue;
      if (Array.isArray(v) && v.length === 0) continue;
      const api = apiName(key);
      seen ??= {};
      if (seen[api]) continue; // both names given: the first wins
      seen[api] = true;
      query += `&${api}=${encodeURIComponent(serialize(api, v))}`;
    }
  }
  return query ? `${path}?${query.slice(1)}` : path;
}

function specOf(row: OperationRow, args: readonly unknown[], body: unknown): { spec: CallSpec; options?: Record<string, any> } {
  const options = args[row.positional.length + (row.flags & 1)] as Record<string, any> | undefined;
  const opts: RequestOptions | undefined = options?.requestOptions;
  return {
    options,
    spec: {
      method: row.method,
      path: buildPath(row, args, options, (row.flags & 4) !== 0),
      body: body as string | undefined,
      contentType: body === undefined ? undefined : 'application/json',
      auth: row.auth,
      binary: (row.flags & 2) !== 0,
      raw: opts?.raw,
      opts,
      name: row.name,
    },
  };
}

/** Runs one generated method. */
export async function callOperation(client: Client, row: OperationRow, args: readonly unknown[]): Promise<any> {
  let body = row.flags & 1 ? args[row.positional.length] : undefined;
  // camelCase → snake_case of JSON bodies loads with the first one, so read-only bundles skip it.
  if (body !== undefined && typeof body !== 'string') body = JSON.stringify((await import('./body-keys.js')).snakeKeys(body));
  const { spec, options } = specOf(row, args, body);
  // Loaded on first use, so bundles that never stream leave the stream code in a separate chunk.
  if (row.flags & 4) return (await import('./stream.js')).openStream(client, spec, options as StreamOptionsBase | undefined);
  return client.send(spec);
}

const PAGINATORS = [Paginator, Paginator, PostPaginator, UserPaginator, EventPaginator];
const ROW = Symbol('row');

/**
 * Attaches `fn.paginate` to a method function of a paginated operation (bound to one sub-client instance): a
 * paginator over the method's arguments whose pages are fetched by paging.ts (loaded with the first page).
 */
function withPaginate(fn: (...args: unknown[]) => Promise<any>, kind: number, client: Client, rowOf: () => Promise<OperationRow>): any {
  (fn as any).paginate = (...args: unknown[]) => {
    const fetchPage = async (token?: string) => (await import('./paging.js')).fetchPage(client, await rowOf(), args, token);
    const o = args[args.length - 1] as any; // the options object, which may name the page to start from
    return new PAGINATORS[kind](fetchPage, { startToken: o?.next_token ?? o?.nextToken ?? o?.pagination_token ?? o?.paginationToken });
  };
  return fn;
}

/** Defines the methods of `rows` on a sub-client prototype (instances have a `client`). */
export function install(proto: any, rows: readonly string[]): void {
  for (const r of rows) {
    const row = parseRow(r);
    if (row.page) {
      // A method with a `paginate` helper bound to this instance, created on first use.
      Object.defineProperty(proto, row.name, {
        configurable: true,
        get(this: { client: Client }) {
          const client = this.client;
          const fn = withPaginate((...args: unknown[]) => callOperation(client, row, args), row.page, client, async () => row);
          fn[ROW] = row;
          Object.defineProperty(this, row.name, { value: fn, configurable: true, writable: true });
          return fn;
        },
      });
    } else {
      (proto[row.name] = function (this: { client: Client }, ...args: unknown[]) {
        return callOperation(this.client, row, args);
      } as any)[ROW] = row;
    }
  }
}

/**
 * A sub-client whose descriptors (a generated module) load on the first call, so bundles that never call it carry
 * neither its descriptors nor its method names. Until then it answers any method name with a function that loads
 * the descriptors and calls the real method (an unknown name then rejects with a TypeError); `paged` lists the
 * paginated methods as `name:paginatorKind`, which get their `paginate` helper at once; `builtIn` rows are real
 * methods from the start. After the load, every property is the real sub-client's.
 */
/**
 * Names that generic code probes objects for (promises, JSON.stringify, test matchers, DOM and inspect checks) and
 * no operation has: they stay undefined, so probing a lazy sub-client neither makes it a thenable nor leaves a
 * rejected call behind.
 */
const PROBES = /^(then|catch|finally|toJSON|asymmetricMatch|nodeType|nodeName|tagName|hasAttribute|inspect|[^a-z].*)$/;

function lazySubClient<T>(name: string, paged: string, load: () => Promise<Record<string, any>>, builtIn: readonly string[]): SubClientConstructor<T> {
  let loading: Promise<Record<string, any>> | undefined;
  let Real: (new (c: Client) => any) | undefined;
  const kinds: Record<string, number> = {};
  for (const m of paged ? paged.split(' ') : []) {
    const [method, kind] = m.split(':');
    kinds[method] = +kind;
  }
  class SubClient {
    declare readonly client: Client;
    constructor(client: Client) {
      (this as any).client = client;
      let real: any;
      // A failed load (network, chunk error) is not kept: the next call tries again.
      const getReal = async () => (real ??= new (Real ??= (await (loading ??= load().catch((e) => ((loading = undefined), Promise.reject(e)))))[name])(client));
      const rowOf = async (method: string): Promise<OperationRow> => {
        const fn = (await getReal())[method];
        if (typeof fn !== 'function') throw new TypeError(`${name}.${method} is not a function`);
        return fn[ROW];
      };
      /** The method `prop` on the target (created on first use), or undefined for what is not a method. */
      const method = (target: any, prop: string | symbol): unknown => {
        if (typeof prop !== 'string' || prop in target || PROBES.test(prop)) return undefined;
        if (real && typeof real[prop] !== 'function') return real[prop];
        const call = async (...args: unknown[]) => callOperation(client, await rowOf(prop), args);
        const fn = kinds[prop] ? withPaginate(call, kinds[prop], client, () => rowOf(prop)) : call;
        Object.defineProperty(target, prop, { value: fn, configurable: true, writable: true });
        return fn;
      };
      // What is set on the sub-client (a spy, an override, a subclass method) wins, before and after the load.
      return new Proxy(this, {
        get: (target, prop, receiver) => method(target, prop) ?? Reflect.get(target, prop, receiver),
        getOwnPropertyDescriptor: (target, prop) => (method(target, prop), Reflect.getOwnPropertyDescriptor(target, prop)),
      });
    }
  }
  Object.defineProperty(SubClient, 'name', { value: name });
  install(SubClient.prototype, builtIn);
  return SubClient as unknown as SubClientConstructor<T>;
}

/**
 * The sub-client classes of the generated index, each a lazy sub-client named after its property (`communityNotes`
 * → `CommunityNotesClient`) from its paginated methods and, optionally, its built-in rows; its descriptors load on
 * its first other call, found through the table of loaders, itself loaded with the first such call.
 */
export function lazySubClients(
  spec: Record<string, string | [string, readonly string[]]>,
  table: () => Promise<{ loaders: Record<string, () => Promise<Record<string, any>>> }>,
): Record<string, SubClientConstructor<any>> {
  const out: Record<string, SubClientConstructor<any>> = {};
  for (const k in spec) {
    const [paged, builtIn] = typeof spec[k] === 'string' ? [spec[k] as string, []] : (spec[k] as [string, readonly string[]]);
    out[k] = lazySubClient(k[0].toUpperCase() + k.slice(1) + 'Client', paged, async () => (await table()).loaders[k](), builtIn);
  }
  return out;
}

/** One class of `lazySubClients`' result (a call, so bundlers drop the exported classes nobody imports). */
export function subClientOf<T>(all: Record<string, SubClientConstructor<any>>, key: string): SubClientConstructor<T> {
  return all[key];
}
