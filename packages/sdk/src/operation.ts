/**
 * Turns the generated descriptor rows into sub-client classes. A row is
 * "name METHOD path positional flags auth page": positional = API names of the positional parameters (path ones
 * are substituted into the path, the rest go to the query), flags = 1 JSON body, 2 binary answer, 4 stream,
 * 8 pages with `next_token` (else `pagination_token`); auth = bitmask of acceptable schemes; page = paginator kind.
 */
import type { Client, CallSpec } from './client.js';
import { camelToSnake, snakeKeys } from './keys.js';
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

const apiNames = new Map<string, string>();
/** Option key → API parameter name: `userFields` → `user.fields`, `maxResults` → `max_results`; API names pass. */
export function apiName(key: string): string {
  let n = apiNames.get(key);
  if (n === undefined) {
    n = /[._]/.test(key) ? key : key.endsWith('Fields') ? camelToSnake(key.slice(0, -6)) + '.fields' : camelToSnake(key);
    apiNames.set(key, n);
  }
  return n;
}

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

function specOf(row: OperationRow, args: readonly unknown[]): { spec: CallSpec; options?: Record<string, any> } {
  let i = row.positional.length;
  const body = row.flags & 1 ? args[i++] : undefined;
  const options = args[i] as Record<string, any> | undefined;
  const stream = (row.flags & 4) !== 0;
  const opts: RequestOptions | undefined = options?.requestOptions;
  return {
    options,
    spec: {
      method: row.method,
      path: buildPath(row, args, options, stream),
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(snakeKeys(body)),
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
export function callOperation(client: Client, row: OperationRow, args: readonly unknown[]): Promise<any> {
  const { spec, options } = specOf(row, args);
  // Loaded on first use, so bundles that never stream leave the stream code in a separate chunk.
  if (row.flags & 4) return import('./stream.js').then((m) => m.openStream(client, spec, options as StreamOptionsBase | undefined));
  return client.send(spec);
}

const PAGINATORS = [Paginator, Paginator, PostPaginator, UserPaginator, EventPaginator];
const TOKEN_KEYS = ['next_token', 'nextToken', 'pagination_token', 'paginationToken'];

/** The token a walk starts from, given in the options object (the last argument). */
function startTokenOf(options: Record<string, unknown> | undefined): string | undefined {
  if (!options) return undefined;
  for (const k of TOKEN_KEYS) if (options[k] !== undefined) return options[k] as string;
  return undefined;
}

/** Page fetcher of `method.paginate(...)`: the method's arguments with the page's token. */
function pageFetcher(client: Client, row: OperationRow, args: readonly unknown[]): (token?: string) => Promise<any> {
  const n = row.positional.length;
  const fixed = args.slice(0, n);
  const options: Record<string, unknown> = { ...((args[n] as Record<string, unknown> | undefined) ?? {}) };
  const tokenKey = row.flags & 8 ? 'next_token' : 'pagination_token';
  for (const k of TOKEN_KEYS) delete options[k];
  return (token?: string) => callOperation(client, row, [...fixed, token ? { ...options, [tokenKey]: token } : options]);
}

const ROWS = Symbol('rows');

/** Attaches `fn.paginate` to a method function of a paginated operation (bound to one sub-client instance). */
function withPaginate(fn: (...args: unknown[]) => Promise<any>, kind: number, make: (args: unknown[]) => (token?: string) => Promise<any>): any {
  (fn as any).paginate = (...args: unknown[]) => {
    const last = args[args.length - 1];
    const options = last && typeof last === 'object' && !Array.isArray(last) && !(last instanceof Date) ? (last as Record<string, unknown>) : undefined;
    return new (PAGINATORS[kind] ?? Paginator)(make(args), { startToken: startTokenOf(options) });
  };
  return fn;
}

export function defineSubClient<T>(name: string, rows: readonly string[]): SubClientConstructor<T> {
  class SubClient {
    constructor(readonly client: Client) {}
  }
  Object.defineProperty(SubClient, 'name', { value: name });
  const proto = SubClient.prototype as any;
  const byName: Record<string, OperationRow> = ((SubClient as any)[ROWS] = {});
  for (const r of rows) {
    const row = parseRow(r);
    byName[row.name] = row;
    if (row.page) {
      // A method with a `paginate` helper bound to this instance, created on first use.
      Object.defineProperty(proto, row.name, {
        configurable: true,
        get(this: SubClient) {
          const client = this.client;
          const fn = withPaginate((...args: unknown[]) => callOperation(client, row, args), row.page, (args) => pageFetcher(client, row, args));
          Object.defineProperty(this, row.name, { value: fn, configurable: true, writable: true });
          return fn;
        },
      });
    } else {
      proto[row.name] = function (this: SubClient, ...args: unknown[]) {
        return callOperation(this.client, row, args);
      };
    }
  }
  return SubClient as unknown as SubClientConstructor<T>;
}

/**
 * A sub-client that knows only its method names (`name` or `name:paginatorKind`); its descriptors (a generated
 * module) load on the first call, so bundles that never call it do not carry them.
 */
export function lazySubClient<T>(name: string, methods: string, load: () => Promise<Record<string, any>>): SubClientConstructor<T> {
  let loading: Promise<Record<string, OperationRow>> | undefined;
  // The generated module exports the eager class under the same name.
  const rowOf = async (method: string): Promise<OperationRow> => (await (loading ??= load().then((m) => m[name][ROWS])))[method];
  class SubClient {
    constructor(readonly client: Client) {}
  }
  Object.defineProperty(SubClient, 'name', { value: name });
  const proto = SubClient.prototype as any;
  for (const m of methods.split(' ')) {
    const [method, kind] = m.split(':');
    const call = (client: Client, args: unknown[]) => rowOf(method).then((row) => callOperation(client, row, args));
    if (!kind) {
      proto[method] = function (this: SubClient, ...args: unknown[]) {
        return call(this.client, args);
      };
      continue;
    }
    Object.defineProperty(proto, method, {
      configurable: true,
      get(this: SubClient) {
        const client = this.client;
        const fn = withPaginate((...args: unknown[]) => call(client, args), +kind, (args) => {
          let fetch: ((token?: string) => Promise<any>) | undefined;
          return async (token?: string) => (fetch ??= pageFetcher(client, await rowOf(method), args))(token);
        });
        Object.defineProperty(this, method, { value: fn, configurable: true, writable: true });
        return fn;
      },
    });
  }
  return SubClient as unknown as SubClientConstructor<T>;
}
