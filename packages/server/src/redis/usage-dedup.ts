import type { Redis } from 'ioredis';
import type { UsageDedup } from '../limits/metering.js';

/** SADD each key in order (a repeat within one call is a repeat), keep the day's set two days. */
const FIRST = `local out = {}
for i, k in ipairs(ARGV) do out[i] = redis.call('SADD', KEYS[1], k) end
redis.call('EXPIRE', KEYS[1], 172800)
return out`;

/** The resources each app was charged for today, in one Redis set per app and UTC day, shared by every node. */
export class RedisUsageDedup implements UsageDedup {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async first(appId: string, day: string, keys: readonly string[]): Promise<boolean[]> {
    if (keys.length === 0) return [];
    const added = (await this.redis.eval(FIRST, 1, `${this.prefix}dedup:${appId}:${day}`, ...keys)) as number[];
    return added.map((n) => n === 1);
  }
}
