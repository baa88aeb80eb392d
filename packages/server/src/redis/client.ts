/**
 * The connections a node keeps to Redis (ROOST_REDIS_URL): one for commands, shared by every backend; one for
 * the bus's blocking XREAD; one subscribed to the row-cache channel (a subscribed connection can send nothing
 * else). ioredis reconnects on its own and queues commands meanwhile.
 */
import { Redis } from 'ioredis';

export interface RedisConnections {
  /** Commands of every backend (pipelined in the order sent). */
  readonly cmd: Redis;
  /** A fresh connection for a backend that blocks or subscribes; closed with the others. */
  dedicated(): Redis;
  /** Every key Roost writes starts with this (`roost:` unless a test isolates itself). */
  readonly prefix: string;
  close(): Promise<void>;
}

export function connectRedis(url: string, prefix = 'roost:'): RedisConnections {
  const open: Redis[] = [];
  const make = () => {
    // Connecting lazily would hide a wrong URL until the first request; this fails start-up instead (ready()).
    const r = new Redis(url, { maxRetriesPerRequest: 20, enableAutoPipelining: true, connectionName: 'roost' });
    // Errors surface as rejected commands; the 'error' event only reports reconnect attempts.
    r.on('error', () => undefined);
    open.push(r);
    return r;
  };
  const cmd = make();
  return {
    cmd,
    prefix,
    dedicated: make,
    async close() {
      await Promise.all(open.map((r) => r.quit().catch(() => r.disconnect())));
    },
  };
}

/** Waits until Redis answers (start-up fails on a wrong URL instead of queuing forever). */
export async function ready(r: Redis, timeoutMs = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    await Promise.race([r.ping(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
