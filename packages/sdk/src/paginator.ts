import type { RateLimitInfo } from './types.js';
import { fetchLast, step, walk, type PaginatorState } from './paginator-step.js';

export interface PaginationMeta {
  resultCount?: number;
  nextToken?: string;
  previousToken?: string;
  [key: string]: unknown;
}

export interface PaginatedResponse<T> {
  data?: T[];
  meta?: PaginationMeta;
  includes?: Record<string, unknown[] | undefined>;
  errors?: unknown[];
}

export interface PaginatorOptions {
  /**
   * Keep every fetched item in `items` (and merge `includes` across pages). Default: kept by `fetchNext()` (as the
   * official client does), not kept by `for await` — so walking any number of pages holds one page at a time.
   */
  keepItems?: boolean;
  /** Start from this token instead of the first page. */
  startToken?: string;
}

/** A generated method with a `paginate` helper taking the same arguments. */
export type Paginated<F extends (...args: any[]) => any, P> = F & { paginate(...args: Parameters<F>): P };

/**
 * Walks the pages of a list endpoint: `fetchNext()` page by page, or `for await (const item of paginator)`.
 * An empty page that still carries a next token does not end the walk.
 */
export class Paginator<T> implements AsyncIterable<T> {
  declare private _items: T[];
  declare private _includes?: Record<string, unknown[]>;
  declare private _meta?: PaginationMeta;
  declare private _errors?: unknown[];
  declare private _token?: string;
  declare private _done?: boolean;
  declare private _rateLimited?: boolean;
  declare private _rateLimit?: RateLimitInfo;
  declare private _pages?: number;
  /** Tokens already followed (kept by paginator-step.ts): a repeated token ends the walk. */
  declare private seen?: Set<string>;
  declare private readonly fetchPage: (token?: string) => Promise<PaginatedResponse<T>>;
  declare private readonly options: PaginatorOptions;

  constructor(fetchPage: (token?: string) => Promise<PaginatedResponse<T>>, options: PaginatorOptions = {}) {
    Object.assign(this, { fetchPage, options, _items: [], _token: options.startToken });
  }

  /** Items fetched so far (a copy; only the current page's when items are not kept). */
  get items(): T[] {
    return this._items.slice();
  }
  /** `includes` of every kept page merged (deduplicated by id / media key), else the current page's. */
  get includes(): Record<string, unknown[]> | undefined {
    return this._includes;
  }
  get meta(): PaginationMeta | undefined {
    return this._meta;
  }
  get errors(): unknown[] | undefined {
    return this._errors;
  }
  /** No further page (or rate-limited). */
  get done(): boolean {
    return !!(this._done || this._rateLimited);
  }
  /** The last fetch failed with 429. */
  get rateLimited(): boolean {
    return !!this._rateLimited;
  }
  /** Rate-limit info of the last page. */
  get rateLimit(): RateLimitInfo | undefined {
    return this._rateLimit;
  }
  /** Pages fetched. */
  get pages(): number {
    return this._pages ?? 0;
  }
  /** The token the next fetch will send. */
  get nextToken(): string | undefined {
    return this._token;
  }

  /** Fetches the next page, adds its items, and returns this paginator. */
  async fetchNext(): Promise<this> {
    await step(this as unknown as PaginatorState<T>, this.options.keepItems ?? true);
    return this;
  }

  /** A new paginator (same kind) starting at the next page. */
  next(): this {
    return new (this.constructor as any)(this.fetchPage, { ...this.options, startToken: this._token });
  }

  /** Fetches pages until `count` more items arrived or the walk is done. */
  async fetchLast(count: number): Promise<this> {
    await fetchLast(this as unknown as PaginatorState<T>, count, this.options.keepItems ?? true);
    return this;
  }

  /** Yields the items held, then each further page's (not kept unless `keepItems`). */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    yield* this._items;
    yield* walk(this as unknown as PaginatorState<T>, this.options.keepItems ?? false);
  }

  *[Symbol.iterator](): Iterator<T> {
    yield* this._items;
  }
}

export class PostPaginator<T = any> extends Paginator<T> {
  get posts(): T[] {
    return this.items;
  }
}
export class UserPaginator<T = any> extends Paginator<T> {
  get users(): T[] {
    return this.items;
  }
}
export class EventPaginator<T = any> extends Paginator<T> {
  get events(): T[] {
    return this.items;
  }
}
