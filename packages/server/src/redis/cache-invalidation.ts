import type { Redis } from 'ioredis';
import type { CacheInvalidation } from '../data/row-cache.js';

/**
 * Row-cache evictions over Redis pub/sub: a node publishes `<node>|<cache>|<key>` after each write it commits; the
 * others drop the row, so their stale window is the publish's latency instead of ROOST_CACHE_MS. A node ignores
 * its own messages (it evicted already). Pub/sub is fire-and-forget: a node that misses a message (reconnecting)
 * still sees the change within the TTL.
 */
export class RedisCacheInvalidation implements CacheInvalidation {
  private readonly subs = new Set<(cache: string, key: string) => void>();
  private readonly channel: string;
  private readonly listening: Promise<unknown>;

  constructor(
    private readonly pub: Redis,
    sub: Redis,
    prefix: string,
    private readonly node: string,
  ) {
    this.channel = `${prefix}cache`;
    sub.on('message', (_ch: string, msg: string) => {
      const a = msg.indexOf('|');
      const b = msg.indexOf('|', a + 1);
      if (a < 0 || b < 0 || msg.slice(0, a) === this.node) return;
      const cache = msg.slice(a + 1, b);
      const key = msg.slice(b + 1);
      for (const fn of this.subs) fn(cache, key);
    });
    this.listening = sub.subscribe(this.channel);
  }

  /** Resolves once the subscription is in place (evictions published before it are not seen). */
  ready(): Promise<unknown> {
    return this.listening;
  }

  publish(cache: string, key: string): void {
    void this.pub.publish(this.channel, `${this.node}|${cache}|${key}`).catch(() => undefined);
  }

  subscribe(fn: (cache: string, key: string) => void): () => void {
    this.subs.add(fn);
    return () => this.subs.delete(fn);
  }
}
