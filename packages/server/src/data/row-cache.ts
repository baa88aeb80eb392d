/**
 * Per-process cache of hot rows (posts, users by id). Every write through data/ on this node invalidates the
 * rows it touches, so a node always reads its own writes; other nodes' writes are seen within the TTL
 * (`ROOST_CACHE_MS`, 0 disables) — or, with a `CacheInvalidation` (scale-out: Redis pub/sub), as soon as the
 * eviction arrives, milliseconds after the writer's commit. Cached rows are shared: callers must treat them as
 * read-only.
 */
export interface RowCacheLike<T> {
  readonly enabled: boolean;
  get(key: string): T | undefined;
  set(key: string, row: T): void;
  collect(keys: readonly string[], out: Map<string, T>): string[];
  delete(key: string): void;
  /**
   * A row just written whose stored form `make` builds without reading it back (a new post): cached as written —
   * by a transaction's view only once the transaction commits. Other nodes evict the key as for `delete`.
   */
  prime(key: string, make: () => T): void;
}

export class RowCache<T> implements RowCacheLike<T> {
  private readonly map = new Map<string, { row: T; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly max = 50_000,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  /** Entries held, expired ones not yet dropped included. */
  get size(): number {
    return this.map.size;
  }

  get(key: string): T | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (e.until < performance.now()) {
      this.map.delete(key);
      return undefined;
    }
    return e.row;
  }

  set(key: string, row: T): void {
    if (!this.enabled) return;
    const now = performance.now();
    // Entries sit in insertion order, which is expiry order (one TTL; a key set again moves to the end): drop the
    // expired ones at the front, so the cache holds the last TTL's rows rather than filling up to `max` with dead ones.
    this.map.delete(key);
    for (const [k, e] of this.map) {
      if (e.until >= now) break;
      this.map.delete(k);
    }
    if (this.map.size >= this.max) {
      // Drop the oldest tenth in insertion order: cheap, and hot rows come straight back.
      let n = Math.ceil(this.max / 10);
      for (const k of this.map.keys()) {
        this.map.delete(k);
        if (--n <= 0) break;
      }
    }
    this.map.set(key, { row, until: now + this.ttlMs });
  }

  /** Fills `out` with cached rows for `keys` and returns the keys (deduplicated) that must be loaded. */
  collect(keys: readonly string[], out: Map<string, T>): string[] {
    const misses: string[] = [];
    for (const k of new Set(keys)) {
      const hit = this.get(k);
      if (hit) out.set(k, hit);
      else misses.push(k);
    }
    return misses;
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  prime(key: string, make: () => T): void {
    if (this.enabled) this.set(key, make());
  }

  clear(): void {
    this.map.clear();
  }
}

/**
 * The cache as seen from inside a transaction: reads go to the database (rows may be uncommitted), and every
 * key the transaction writes is dropped from the shared cache now and again when the transaction ends
 * (commit or rollback), so no reader can keep a row cached from before or during it. Rows the transaction
 * created (`prime`) go into the shared cache when it commits — unless written again after, or undone by a
 * savepoint's rollback — so the first reads of a new post (stream delivery, the author's next request) need no
 * query. At most PRIMED_MAX of them per transaction: a seed's millions are not held.
 */
export class TransactionCacheView<T> implements RowCacheLike<T> {
  readonly touched = new Set<string>();
  readonly enabled = false;
  private primed: Map<string, () => T> | null = new Map();

  constructor(private readonly shared: RowCacheLike<T>) {}

  get(): T | undefined {
    return undefined;
  }
  set(): void {}
  collect(keys: readonly string[]): string[] {
    return [...new Set(keys)];
  }
  delete(key: string): void {
    this.touched.add(key);
    this.shared.delete(key);
    this.primed?.delete(key);
  }
  prime(key: string, make: () => T): void {
    this.delete(key);
    if (!this.shared.enabled || !this.primed) return;
    if (this.primed.size >= PRIMED_MAX) this.primed = null;
    else this.primed.set(key, make);
  }
  /** A savepoint was rolled back: what it created is gone, and which rows those were is not tracked. */
  forgetPrimed(): void {
    this.primed?.clear();
  }
  /** The transaction ended: evict what it touched; if it committed, cache the rows it created. */
  settle(committed: boolean): void {
    for (const k of this.touched) this.shared.delete(k);
    if (committed && this.primed) for (const [k, make] of this.primed) this.shared.set(k, make());
  }
}

const PRIMED_MAX = 10_000;

/** Carries row evictions between nodes (scale-out: Redis pub/sub, redis/cache-invalidation.ts). */
export interface CacheInvalidation {
  /** Tells the other nodes that `key` of cache `cache` changed. */
  publish(cache: string, key: string): void;
  /** Calls `fn` for every eviction another node publishes; returns the unsubscribe function. */
  subscribe(fn: (cache: string, key: string) => void): () => void;
}

/** A node's cache whose evictions are also sent to the other nodes. */
export class BroadcastRowCache<T> implements RowCacheLike<T> {
  constructor(
    private readonly name: string,
    readonly local: RowCache<T>,
    private readonly others: CacheInvalidation,
  ) {}

  get enabled(): boolean {
    return this.local.enabled;
  }
  get(key: string): T | undefined {
    return this.local.get(key);
  }
  set(key: string, row: T): void {
    this.local.set(key, row);
  }
  collect(keys: readonly string[], out: Map<string, T>): string[] {
    return this.local.collect(keys, out);
  }
  delete(key: string): void {
    this.local.delete(key);
    // Sent even when this node caches nothing: the others may.
    this.others.publish(this.name, key);
  }
  prime(key: string, make: () => T): void {
    this.local.prime(key, make);
    this.others.publish(this.name, key);
  }
}

/**
 * Rows by id through a cache: hits come from the cache, the misses (each id once) from `load`, which caches what it
 * reads. Ids without a row are absent from the map.
 */
export async function readThrough<T extends { id: string }>(cache: RowCacheLike<T>, ids: readonly string[], load: (misses: string[]) => Promise<T[]>): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  if (ids.length === 0) return out;
  const misses = cache.collect(ids, out);
  if (misses.length === 0) return out;
  for (const row of await load(misses)) out.set(row.id, row);
  return out;
}
