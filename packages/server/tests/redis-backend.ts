/**
 * The Redis side of the contract suites: one throwaway redis-server per test file (Debian's `redis-server`,
 * started by @roost/dev-env on a free loopback port) and a connection per simulated node. Without the binary the
 * Redis contracts are skipped outside CI and fail in CI, as the PostgreSQL ones are.
 */
import { afterAll, describe, it } from 'vitest';
import { redisAvailable, startRedis, type RedisServer } from '@roost/dev-env';
import { connectRedis, type RedisConnections } from '../src/redis/client.js';

export interface RedisNodes {
  /** A fresh set of connections, as one more node would open. */
  node(): RedisConnections;
}

/** Registers `suite` over a Redis started on first use; all connections close with the file. */
export function withRedis(name: string, suite: (nodes: () => Promise<RedisNodes>) => void): void {
  if (!redisAvailable() && !process.env.CI) {
    describe.skip(`${name} — skipped: no redis-server; CI fails instead`, () => {
      it('runs against Redis', () => undefined);
    });
    return;
  }
  let server: Promise<RedisServer> | undefined;
  const conns: RedisConnections[] = [];
  afterAll(async () => {
    for (const c of conns) await c.close();
    if (server) await (await server.catch(() => undefined))?.stop();
  });
  suite(async () => {
    const { url } = await (server ??= startRedis());
    return {
      node() {
        const c = connectRedis(url);
        conns.push(c);
        return c;
      },
    };
  });
}
