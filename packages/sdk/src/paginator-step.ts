/** Fetching one page of a `Paginator`: the walking rules (tokens that repeat, 429s, kept or replaced items). */
import { ApiError } from './errors.js';
import { rateLimitOf } from './rate-limit.js';
import type { PaginatedResponse, PaginationMeta } from './paginator.js';
import type { RateLimitInfo } from './types.js';

/** The paginator's fields this module maintains. */
export interface PaginatorState<T> {
  fetchPage: (token?: string) => Promise<PaginatedResponse<T>>;
  done: boolean;
  _items: T[];
  _includes?: Record<string, unknown[]>;
  _meta?: PaginationMeta;
  _errors?: unknown[];
  _token?: string;
  _done?: boolean;
  _rateLimited?: boolean;
  _rateLimit?: RateLimitInfo;
  _pages?: number;
  seen?: Set<string>;
}

const includeKey = (x: any): unknown => x?.id ?? x?.mediaKey ?? x?.media_key;

/** Fetches the next page into `p` (kept or replacing the current page) and returns its items. */
export async function step<T>(p: PaginatorState<T>, keep: boolean): Promise<T[]> {
  if (p.done) return [];
  const token = p._token;
  let res: PaginatedResponse<T>;
  try {
    res = await p.fetchPage(token);
  } catch (e) {
    if ((e instanceof ApiError && e.status === 429) || /rate limit/i.test((e as Error)?.message ?? '')) p._rateLimited = true;
    throw e;
  }
  p._pages = (p._pages ?? 0) + 1;
  const data = res.data ?? [];
  p._meta = res.meta;
  p._errors = res.errors;
  p._rateLimit = rateLimitOf(res);
  const next = res.meta?.nextToken ?? (res.meta as any)?.next_token;
  // A token that does not move would loop forever.
  const seen = (p.seen ??= new Set());
  if (!next || next === token || seen.has(next)) p._done = true;
  else {
    p._token = next;
    if (seen.size < 100_000) seen.add(next);
  }
  if (keep) {
    for (const item of data) p._items.push(item);
    mergeIncludes(p, res.includes);
  } else {
    p._items = data;
    p._includes = res.includes as Record<string, unknown[]> | undefined;
  }
  return data;
}

function mergeIncludes<T>(p: PaginatorState<T>, inc?: Record<string, unknown[] | undefined>): void {
  if (!inc) return;
  p._includes ??= {};
  for (const [k, list] of Object.entries(inc)) {
    if (!Array.isArray(list)) continue;
    const target = (p._includes[k] ??= []);
    const keys = new Set(target.map(includeKey).filter((x) => x !== undefined));
    for (const x of list) {
      const key = includeKey(x);
      if (key !== undefined && keys.has(key)) continue;
      if (key !== undefined) keys.add(key);
      target.push(x);
    }
  }
}

/** Fetches pages until `count` more items arrived or the walk is done. */
export async function fetchLast<T>(p: PaginatorState<T>, count: number, keep: boolean): Promise<void> {
  for (let got = 0; !p.done && got < count; ) got += (await step(p, keep)).length;
}

/** The items of every further page. */
export async function* walk<T>(p: PaginatorState<T>, keep: boolean): AsyncGenerator<T> {
  while (!p.done) yield* await step(p, keep);
}
