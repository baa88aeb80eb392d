import type { Redis } from 'ioredis';
import type { StreamSlots } from '../streams/slots.js';

/**
 * A slot set is a sorted set of holders scored by lease expiry in Redis's own clock (TIME), so nodes' clocks do
 * not matter. Expired leases are dropped before counting.
 */
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)`;

const ACQUIRE = `${NOW}
if redis.call('ZSCORE', KEYS[1], ARGV[3]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
  return 1
end
return 0`;

const HELD = `${NOW}
return redis.call('ZCARD', KEYS[1])`;

/** Renews only holders still present (XX): a lease that ran out stays gone. */
const RENEW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) * 2)
return 1`;

/**
 * Stream connection slots counted across every node. Each slot is a lease of `leaseMs` that this node renews for
 * its open connections every third of it; a node killed without closing its streams frees their slots when the
 * leases run out, after which clients reconnecting elsewhere are admitted.
 */
export class RedisStreamSlots implements StreamSlots {
  private readonly mine = new Map<string, Set<string>>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly leaseMs: number,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {
    this.timer = setInterval(() => void this.renew().catch(this.onError), Math.max(50, Math.floor(leaseMs / 3)));
    this.timer.unref();
  }

  private k(key: string): string {
    return `${this.prefix}slots:${key}`;
  }

  async acquire(key: string, max: number, holder: string): Promise<boolean> {
    const ok = Number(await this.redis.eval(ACQUIRE, 1, this.k(key), String(max), String(this.leaseMs), holder)) === 1;
    if (ok) {
      let set = this.mine.get(key);
      if (!set) this.mine.set(key, (set = new Set()));
      set.add(holder);
    }
    return ok;
  }

  async release(key: string, holder: string): Promise<void> {
    const set = this.mine.get(key);
    set?.delete(holder);
    if (set && set.size === 0) this.mine.delete(key);
    await this.redis.zrem(this.k(key), holder);
  }

  async held(key: string): Promise<number> {
    return Number(await this.redis.eval(HELD, 1, this.k(key)));
  }

  private async renew(): Promise<void> {
    const pending: Promise<unknown>[] = [];
    for (const [key, holders] of this.mine) for (const h of holders) pending.push(this.redis.eval(RENEW, 1, this.k(key), String(this.leaseMs), h));
    await Promise.all(pending);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.mine.clear();
  }
}
