import { describe, expect, it } from 'vitest';
import { NonceCache, type NonceStore } from '../src/auth/oauth1.js';
import { MemoryUsageDedup, type UsageDedup } from '../src/limits/metering.js';
import { RedisNonces } from '../src/redis/nonces.js';
import { RedisStreamSlots } from '../src/redis/stream-slots.js';
import { RedisUsageDedup } from '../src/redis/usage-dedup.js';
import { MemoryStreamSlots, slotKey, type StreamSlots } from '../src/streams/slots.js';
import { withRedis, type RedisNodes } from './redis-backend.js';

/**
 * One contract per shared store, every backend: the in-memory one (a single node) and Redis (every node). Where a
 * backend is shared, `other()` opens a second instance over the same state — another node — and the contract
 * checks that the two agree; the memory backends have no other node and skip only those steps.
 */
let seq = 0;
const uniq = (label: string) => `${label}-${++seq}-${Math.random().toString(36).slice(2, 8)}`;
const NOW = Date.UTC(2026, 10, 1, 12);

interface Backend<T> {
  store: T;
  /** The same state seen from another node, or null when the backend is one node's memory. */
  other(): T | null;
}

function dedupContract(name: string, open: () => Promise<Backend<UsageDedup>>): void {
  describe(`usage dedup contract: ${name}`, () => {
    it('charges a resource once per app and UTC day, a repeat within one answer once', async () => {
      const { store } = await open();
      const app = uniq('app');
      expect(await store.first(app, '2026-11-01', ['post1', 'post2', 'post1'])).toEqual([true, true, false]);
      expect(await store.first(app, '2026-11-01', ['post2', 'post3'])).toEqual([false, true]);
      expect(await store.first(uniq('app'), '2026-11-01', ['post1'])).toEqual([true]);
      expect(await store.first(app, '2026-11-02', ['post1'])).toEqual([true]);
      expect(await store.first(app, '2026-11-02', [])).toEqual([]);
    });

    it('the previous day is still remembered once the next one began (an event replayed just after midnight)', async () => {
      const { store } = await open();
      const app = uniq('app');
      expect(await store.first(app, '2026-11-01', ['event1'])).toEqual([true]);
      expect(await store.first(app, '2026-11-02', ['event2'])).toEqual([true]);
      expect(await store.first(app, '2026-11-01', ['event1', 'event3'])).toEqual([false, true]);
      expect(await store.first(app, '2026-11-02', ['event2'])).toEqual([false]);
    });

    it('another node sees what this one charged; concurrent charges of one resource count once', async () => {
      const b = await open();
      const other = b.other();
      const app = uniq('app');
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 && other ? other : b.store).first(app, '2026-11-01', ['user9'])));
      expect(results.flat().filter(Boolean)).toHaveLength(1);
      if (other) expect(await other.first(app, '2026-11-01', ['user9', 'user10'])).toEqual([false, true]);
    });
  });
}

function nonceContract(name: string, open: () => Promise<Backend<NonceStore>>): void {
  describe(`nonce contract: ${name}`, () => {
    it('a nonce is spent once until it expires; different nonces are independent', async () => {
      const { store } = await open();
      const k = uniq('nonce');
      expect(await store.replayed(k, NOW + 300_000, NOW)).toBe(false);
      expect(await store.replayed(k, NOW + 300_000, NOW + 1)).toBe(true);
      expect(await store.replayed(uniq('nonce'), NOW + 300_000, NOW + 2)).toBe(false);
    });

    it('a replay sent to another node is refused; of concurrent uses exactly one wins', async () => {
      const b = await open();
      const other = b.other() ?? b.store;
      const k = uniq('nonce');
      expect(await b.store.replayed(k, NOW + 300_000, NOW)).toBe(false);
      expect(await other.replayed(k, NOW + 300_000, NOW)).toBe(true);
      const race = uniq('race');
      const outcomes = await Promise.all(Array.from({ length: 16 }, (_, i) => (i % 2 ? other : b.store).replayed(race, NOW + 300_000, NOW)));
      expect(outcomes.filter((r) => !r)).toHaveLength(1);
    });
  });
}

function slotsContract(name: string, open: () => Promise<Backend<StreamSlots>>): void {
  describe(`stream slots contract: ${name}`, () => {
    it('grants up to max holders per key, frees on release, keys are independent', async () => {
      const { store } = await open();
      const k = slotKey(uniq('app'), 'filtered_stream', null);
      expect(await store.acquire(k, 2, 'c1')).toBe(true);
      expect(await store.acquire(k, 2, 'c2')).toBe(true);
      expect(await store.acquire(k, 2, 'c3')).toBe(false);
      expect(await store.held(k)).toBe(2);
      // Holding is idempotent for the holder.
      expect(await store.acquire(k, 2, 'c1')).toBe(true);
      await store.release(k, 'c1');
      expect(await store.held(k)).toBe(1);
      expect(await store.acquire(k, 2, 'c3')).toBe(true);
      await store.release(k, 'never-held');
      expect(await store.held(k)).toBe(2);
      const partitioned = slotKey(k, 'firehose_stream', 1);
      expect(await store.acquire(partitioned, 1, 'p1')).toBe(true);
      expect(await store.acquire(slotKey(k, 'firehose_stream', 2), 1, 'p2')).toBe(true);
    });

    it('the count is shared with another node: of racing connects across nodes, max win', async () => {
      const b = await open();
      const other = b.other() ?? b.store;
      const k = slotKey(uniq('app'), 'filtered_stream', null);
      const wins = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : b.store).acquire(k, 1, `c${i}`)));
      expect(wins.filter(Boolean)).toHaveLength(1);
      const winner = `c${wins.indexOf(true)}`;
      expect(await other.held(k)).toBe(1);
      await (wins.indexOf(true) % 2 ? other : b.store).release(k, winner);
      expect(await b.store.held(k)).toBe(0);
      expect(await other.acquire(k, 1, 'next')).toBe(true);
    });
  });
}

dedupContract('memory', async () => ({ store: new MemoryUsageDedup(), other: () => null }));
nonceContract('memory', async () => ({ store: new NonceCache(), other: () => null }));
slotsContract('memory', async () => ({ store: new MemoryStreamSlots(), other: () => null }));

/** One instance per simulated node, each on its own connection. */
function redisBackend<T>(nodes: () => Promise<RedisNodes>, make: (n: ReturnType<RedisNodes['node']>) => T): () => Promise<Backend<T>> {
  return async () => {
    const n = await nodes();
    return { store: make(n.node()), other: () => make(n.node()) };
  };
}

withRedis('scale-out store contracts: redis', (nodes) => {
  dedupContract('redis', redisBackend(nodes, (c) => new RedisUsageDedup(c.cmd, c.prefix)));
  nonceContract('redis', redisBackend(nodes, (c) => new RedisNonces(c.cmd, c.prefix)));
  slotsContract('redis', redisBackend(nodes, (c) => new RedisStreamSlots(c.cmd, c.prefix, 10_000)));

  describe('stream slots (redis): a node that dies frees its slots when their leases run out', () => {
    it('a held slot lives while renewed and is free once the lease passes unrenewed', async () => {
      const n = await nodes();
      const k = slotKey(uniq('app'), 'filtered_stream', null);
      const alive = new RedisStreamSlots(n.node().cmd, 'roost:', 300);
      const other = new RedisStreamSlots(n.node().cmd, 'roost:', 300);
      expect(await alive.acquire(k, 1, 'held')).toBe(true);
      // Renewed every 100 ms: still held well past one lease.
      await new Promise((r) => setTimeout(r, 700));
      expect(await other.acquire(k, 1, 'late')).toBe(false);
      // The node stops renewing (as a killed one does): the slot frees within a lease.
      await alive.close();
      await new Promise((r) => setTimeout(r, 450));
      expect(await other.acquire(k, 1, 'late')).toBe(true);
      await other.close();
    });
  });
});
