/**
 * Operation functions: each generated operation is a function of its own, `getUsersByUsername(client, username,
 * options)`, made from a compact descriptor row "name METHOD path positional flags auth": positional = API names of
 * the positional parameters (path ones are substituted into the path, the rest go to the query), flags = 1 JSON body,
 * 2 binary answer, 4 stream, 8 pages with `next_token` (else `pagination_token`); auth = bitmask of acceptable
 * schemes. A bundle holds the rows of the functions it imports (directly or through a sub-client class) and no other.
 */
import type { BaseClient, CallSpec } from './base.js';
import { snakeKeys } from './body-keys.js';
import { camelToSnake, memo } from './keys.js';
import type { RequestOptions } from './types.js';

export interface OperationRow {
  /** The method name on the sub-client. */
  name: string;
  method: string;
  path: string;
  positional: string[];
  pathParams: boolean[];
  flags: number;
  auth: number;
}

/** A generated method, callable on its own with the client as first argument. */
export type Operation<M extends (...args: any[]) => any> = (client: BaseClient, ...args: Parameters<M>) => ReturnType<M>;

/** A paginated operation: also `fn.paginate(client, ...args)`, a paginator over the same arguments. */
export type PagedOperation<M extends (...args: any[]) => any> = Operation<M> & {
  paginate(client: BaseClient, ...args: Parameters<M>): M extends { paginate(...args: any[]): infer P } ? P : never;
};

/** What `defineSubClient` reads of an operation function. */
export interface OperationFunction {
  (client: BaseClient, ...args: unknown[]): Promise<any>;
  readonly row: OperationRow;
  paginate?(client: BaseClient, ...args: unknown[]): unknown;
}

export function parseRow(row: string): OperationRow {
  const [name, method, path, pos, flags, auth] = row.split(' ');
  const positional = pos === '-' ? [] : pos.split(',');
  return { name, method, path, positional, pathParams: positional.map((p) => path.includes(`{${p}}`)), flags: +flags, auth: +auth };
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

/** The call of `row` with `args` (positional values, the body when the operation has one, then the options). */
export function specOf(row: OperationRow, args: readonly unknown[]): CallSpec {
  let body = row.flags & 1 ? args[row.positional.length] : undefined;
  if (body !== undefined && typeof body !== 'string') body = JSON.stringify(snakeKeys(body));
  const options = args[row.positional.length + (row.flags & 1)] as Record<string, any> | undefined;
  const opts: RequestOptions | undefined = options?.requestOptions;
  return {
    method: row.method,
    path: buildPath(row, args, options, (row.flags & 4) !== 0),
    body: body as string | undefined,
    contentType: body === undefined ? undefined : 'application/json',
    auth: row.auth,
    binary: (row.flags & 2) !== 0,
    raw: opts?.raw,
    opts,
    name: row.name,
  };
}

/** Runs one operation. */
export function callOperation(client: BaseClient, row: OperationRow, args: readonly unknown[]): Promise<any> {
  // A bad argument (say a body that cannot be serialized) rejects, as every failure of a call does.
  try {
    return client.send(specOf(row, args));
  } catch (e) {
    return Promise.reject(e);
  }
}

/**
 * The function of one generated operation (see the module comment for `row`); `F` is its declared type (the generated
 * code annotates each function with its method's signature).
 */
export function operation<F = OperationFunction>(row: string): F {
  const r = parseRow(row);
  return Object.assign((client: BaseClient, ...args: unknown[]) => callOperation(client, r, args), { row: r }) as F;
}
