import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisLimiter } from '../src/redis/limiter.js';
import { withRedis } from './redis-backend.js';
import { openStore, type Store } from '../src/db/connect.js';
import { createRepos } from '../src/data/index.js';
import { onPostgres } from './postgres-suite.js';
import { MemoryLimiter } from '../src/limits/memory-limiter.js';
import { WriteBehindLimiter } from '../src/limits/write-behind-limiter.js';
import { bucketKey, type RateLimiter } from '../src/limits/rate-limiter.js';

/**
 * One contract, every limiter backend: memory, SQL over SQLite, SQL over a real PostgreSQL, Redis over a real
 * redis-server. Windows are fixed and
 * aligned to multiples of their length since the epoch; resets are epoch seconds.
 */
const Q = 15 * 60_000;
const DAY = 86_400_000;
/** 2026-11-01T00:00:00Z, aligned to both window lengths. */
const T0 = Date.UTC(2026, 10, 1);

interface Backend {
  limiter: RateLimiter;
  /** A second limiter over the same state (another node, or the same database after a restart); null for memory. */
  reopen(): Promise<RateLimiter | null>;
  close(): Promise<void>;
}

let seq = 0;
const key = (label: string) => `${label}-${++seq}-${Math.random().toString(36).slice(2)}`;

function limiterContract(name: string, open: () => Promise<Backend>): void {
  describe(`limiter contract: ${name}`, () => {
    let b: Backend;
    beforeAll(async () => {
      b = await open();
    });
    afterAll(async () => {
      await b?.close();
    });

    it('counts down within a window, refuses past the limit, reports an aligned reset in epoch seconds', async () => {
      const k = key('count');
      const now = T0 + 7 * 60_000 + 123;
      for (let i = 1; i <= 3; i++) {
        const w = await b.limiter.take(k, 3, Q, now + i);
        expect(w).toEqual({ limit: 3, remaining: 3 - i, reset: (T0 + Q) / 1000, allowed: true });
      }
      const over = await b.limiter.take(k, 3, Q, now + 10);
      expect(over).toEqual({ limit: 3, remaining: 0, reset: (T0 + Q) / 1000, allowed: false });
      // Refused takes count too: still refused.
      expect((await b.limiter.take(k, 3, Q, now + 11)).allowed).toBe(false);
    });

    it('a new window starts at the reset instant, not before', async () => {
      const k = key('reset');
      await b.limiter.take(k, 1, Q, T0);
      expect((await b.limiter.take(k, 1, Q, T0 + Q - 1)).allowed).toBe(false);
      const w = await b.limiter.take(k, 1, Q, T0 + Q);
      expect(w).toEqual({ limit: 1, remaining: 0, reset: (T0 + 2 * Q) / 1000, allowed: true });
    });

    it('peek reads without taking', async () => {
      const k = key('peek');
      expect(await b.limiter.peek(k, 5, Q, T0)).toEqual({ limit: 5, remaining: 5, reset: (T0 + Q) / 1000, allowed: true });
      await b.limiter.take(k, 5, Q, T0);
      await b.limiter.take(k, 5, Q, T0);
      expect(await b.limiter.peek(k, 5, Q, T0 + 1)).toEqual({ limit: 5, remaining: 3, reset: (T0 + Q) / 1000, allowed: true });
      expect((await b.limiter.peek(k, 2, Q, T0 + 1)).allowed).toBe(false);
      // A past window reads as fresh.
      expect((await b.limiter.peek(k, 5, Q, T0 + Q)).remaining).toBe(5);
    });

    it('24-hour windows reset at 00:00 UTC', async () => {
      const k = key('day');
      const w = await b.limiter.take(k, 2, DAY, T0 + 13 * 3_600_000);
      expect(w.reset).toBe((T0 + DAY) / 1000);
      expect(w.remaining).toBe(1);
    });

    it('buckets are independent: operations, apps, users, app-only vs user context, window kinds', async () => {
      const keys = [
        bucketKey('getUsersMe', '1', '10', '15m'),
        bucketKey('getUsersMe', '1', '11', '15m'),
        bucketKey('getUsersMe', '2', '10', '15m'),
        bucketKey('getUsersMe', '1', null, '15m'),
        bucketKey('getUsersById', '1', '10', '15m'),
        bucketKey('getUsersMe', '1', '10', '24h'),
      ].map((k) => `${k}|${key('ind')}`);
      expect(new Set(keys).size).toBe(keys.length);
      await b.limiter.take(keys[0]!, 1, Q, T0);
      expect((await b.limiter.take(keys[0]!, 1, Q, T0)).allowed).toBe(false);
      for (const k of keys.slice(1)) expect((await b.limiter.take(k, 1, Q, T0)).allowed).toBe(true);
    });

    it('concurrent takes never grant more than the limit', async () => {
      const k = key('race');
      const results = await Promise.all(Array.from({ length: 40 }, () => b.limiter.take(k, 25, Q, T0)));
      expect(results.filter((r) => r.allowed)).toHaveLength(25);
      expect((await b.limiter.peek(k, 25, Q, T0)).remaining).toBe(0);
    });

    it('after flush, counts are shared with another instance over the same state (restart, other node)', async () => {
      const other = await b.reopen();
      if (!other) return;
      const k = key('persist');
      await b.limiter.take(k, 3, Q, T0);
      await b.limiter.take(k, 3, Q, T0);
      await b.limiter.flush();
      expect(await other.take(k, 3, Q, T0 + 1)).toEqual({ limit: 3, remaining: 0, reset: (T0 + Q) / 1000, allowed: true });
      expect((await other.take(k, 3, Q, T0 + 2)).allowed).toBe(false);
      await other.close();
      // A third instance (a restart) resumes from the stored total.
      const third = (await b.reopen())!;
      expect(await third.peek(k, 3, Q, T0 + 3)).toEqual({ limit: 3, remaining: 0, reset: (T0 + Q) / 1000, allowed: false });
      // The first instance learns the others' takes when it next flushes a take of its own.
      await b.limiter.take(k, 10, Q, T0 + 4);
      await b.limiter.flush();
      expect((await b.limiter.peek(k, 10, Q, T0 + 5)).remaining).toBe(5);
      // A stored window that has passed reads as fresh.
      expect((await third.peek(k, 3, Q, T0 + Q)).remaining).toBe(3);
    });

    it('close flushes', async () => {
      const k = key('close');
      const mine = await b.reopen();
      if (!mine) return;
      await mine.take(k, 2, Q, T0);
      await mine.close();
      const next = (await b.reopen())!;
      expect((await next.peek(k, 2, Q, T0)).remaining).toBe(1);
    });
  });
}

limiterContract('memory', async () => ({ limiter: new MemoryLimiter(), reopen: async () => null, close: async () => undefined }));

function sqlBackend(openOne: () => Promise<Store>): () => Promise<Backend> {
  return async () => {
    const stores: Store[] = [await openOne()];
    return {
      limiter: new WriteBehindLimiter(createRepos(stores[0]!).rateLimits),
      async reopen() {
        const s = await openOne();
        stores.push(s);
        return new WriteBehindLimiter(createRepos(s).rateLimits);
      },
      async close() {
        for (const s of stores) await s.close();
      },
    };
  };
}

const sqliteDir = mkdtempSync(join(tmpdir(), 'roost-limits-'));
afterAll(() => rmSync(sqliteDir, { recursive: true, force: true }));
limiterContract('sql (sqlite)', sqlBackend(() => openStore(join(sqliteDir, 'roost.db'))));

onPostgres('limiter contract: sql (postgres)', (openPg) => limiterContract('sql (postgres)', sqlBackend(openPg)));

withRedis('limiter contract: redis', (nodes) =>
  limiterContract('redis', async () => {
    const n = await nodes();
    const first = n.node();
    return {
      limiter: new RedisLimiter(first.cmd, first.prefix),
      // Another node: its own connection to the same Redis.
      async reopen() {
        const c = n.node();
        return new RedisLimiter(c.cmd, c.prefix);
      },
      async close() {},
    };
  }),
);
