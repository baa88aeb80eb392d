/**
 * Scale-out (docs/scale-out.md): with ROOST_REDIS_URL, what must be shared between nodes moves to Redis — rate
 * limits, usage dedup, OAuth 1.0a nonces, stream connection slots, the event bus and row-cache evictions. Each is
 * the Redis implementation of an interface whose in-memory implementation serves a single node; the composition
 * root (context.ts) picks them.
 */
import { RedisBus } from './bus.js';
import { RedisCacheInvalidation } from './cache-invalidation.js';
import { connectRedis, ready } from './client.js';
import { RedisLimiter } from './limiter.js';
import { RedisNonces } from './nonces.js';
import { RedisStreamSlots } from './stream-slots.js';
import { RedisUsageDedup } from './usage-dedup.js';

export { RedisBus, RedisCacheInvalidation, RedisLimiter, RedisNonces, RedisStreamSlots, RedisUsageDedup, connectRedis };

export interface RedisBackendOptions {
  url: string;
  /** This node's name (its snowflake worker id): the bus position and the cache messages carry it. */
  node: string;
  /** Lease of a stream connection slot (renewed while the connection lives). */
  slotLeaseMs: number;
  prefix?: string;
  onError: (err: unknown, what: string) => void;
}

export interface RedisBackends {
  limiter: RedisLimiter;
  dedup: RedisUsageDedup;
  nonces: RedisNonces;
  slots: RedisStreamSlots;
  bus: RedisBus;
  invalidation: RedisCacheInvalidation;
  /** Stops the bus and closes every connection. */
  close(): Promise<void>;
}

export async function openRedisBackends(o: RedisBackendOptions): Promise<RedisBackends> {
  const conns = connectRedis(o.url, o.prefix);
  try {
    await ready(conns.cmd);
    const { cmd, prefix } = conns;
    const invalidation = new RedisCacheInvalidation(cmd, conns.dedicated(), prefix, o.node);
    await invalidation.ready();
    const bus = new RedisBus(cmd, conns.dedicated(), prefix, { node: o.node, onError: (err) => o.onError(err, 'bus') });
    return {
      limiter: new RedisLimiter(cmd, prefix),
      dedup: new RedisUsageDedup(cmd, prefix),
      nonces: new RedisNonces(cmd, prefix),
      slots: new RedisStreamSlots(cmd, prefix, o.slotLeaseMs, (err) => o.onError(err, 'stream slot lease')),
      bus,
      invalidation,
      async close() {
        await bus.close();
        await conns.close();
      },
    };
  } catch (err) {
    await conns.close();
    throw err;
  }
}
