/**
 * Per-process cache of hot rows (posts, users by id). Every write through data/ on this node invalidates the
 * rows it touches, so a node always reads its own writes; other nodes' writes are seen within the TTL
 * (`ROOST_CACHE_MS`, 0 disables). Cached rows are shared: callers must treat them as read-only.
 */
export class RowCache<T> {
  private readonly map = new Map<string, { row: T; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly max = 50_000,
  ) {}

  get enabled(): boolean {
    return this.ttlMs > 0;
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
    if (this.map.size >= this.max) {
      // Drop the oldest tenth in insertion order: cheap, and hot rows come straight back.
      let n = Math.ceil(this.max / 10);
      for (const k of this.map.keys()) {
        this.map.delete(k);
        if (--n <= 0) break;
      }
    }
    this.map.set(key, { row, until: performance.now() + this.ttlMs });
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

  clear(): void {
    this.map.clear();
  }
}
