/**
 * The post row cache is primed with the rows a transaction creates, once it commits: the first reads of a new post
 * (stream delivery, lookups) need no query, and what they get equals the stored row. Never primed: a post of a
 * rolled-back transaction or savepoint, or one written again in the same transaction.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/db/connect.js';
import { createRepos, type Repos } from '../src/data/index.js';
import { newPostRow, type PostRow } from '../src/data/rows.js';
import { RowCache } from '../src/data/row-cache.js';
import { seedWorld } from '../src/seed/world.js';

const NOW = Date.UTC(2026, 10, 1);
const dir = mkdtempSync(join(tmpdir(), 'roost-row-cache-'));
let store: Store;
let cached: Repos;
let uncached: Repos;
let author: string;
let next = 1_900_000_000_000_000_000n;

beforeAll(async () => {
  store = await openStore(join(dir, 'roost.db'));
  await seedWorld(store, { seed: 5, users: 10, posts: 20, now: NOW });
  cached = createRepos(store, { cacheMs: 60_000 });
  uncached = createRepos(store);
  author = (await sql<{ id: string }>`select cast(id as text) as id from users order by id limit 1`.execute(store.db)).rows[0]!.id;
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function post(text: string): PostRow {
  const id = String(++next);
  return {
    ...newPostRow(id, author, NOW),
    text,
    entities: { hashtags: [{ start: 0, end: 6, tag: 'roost' }] },
    extras: { made_with_ai: true },
    lang: 'en',
  };
}

/** Removes the row behind the cache's back: a read that still finds it was served from the cache. */
const dropBehindCache = (id: string) => sql`delete from posts where id = ${BigInt(id)}`.execute(store.db);

describe('post row cache priming', () => {
  it('a committed new post is cached exactly as stored', async () => {
    const p = post('#roost primed');
    await cached.transaction((r) => r.posts.insertOne(p));
    const stored = (await uncached.posts.byIds([p.id])).get(p.id);
    expect(stored).toBeDefined();
    await dropBehindCache(p.id);
    expect((await cached.posts.byIds([p.id])).get(p.id)).toEqual(stored);
  });

  it('not when the transaction rolls back, a savepoint undoes it, or the transaction writes it again', async () => {
    const rolledBack = post('#roost never');
    await expect(
      cached.transaction(async (r) => {
        await r.posts.insertOne(rolledBack);
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect((await cached.posts.byIds([rolledBack.id])).has(rolledBack.id)).toBe(false);

    const undone = post('#roost undone');
    const kept = post('#roost kept');
    const counted = post('#roost counted');
    await cached.transaction(async (r) => {
      await expect(
        r.savepoint(async () => {
          await r.posts.insertOne(undone);
          throw new Error('unit failed');
        }),
      ).rejects.toThrow('unit failed');
      await r.savepoint(() => r.posts.insertOne(kept));
      await r.posts.insertOne(counted);
      await r.posts.adjustCounters(counted.id, { like_count: 1 });
    });
    expect((await cached.posts.byIds([undone.id])).has(undone.id)).toBe(false);
    expect((await uncached.posts.byIds([undone.id])).has(undone.id)).toBe(false);
    // Written again after its insert: not primed with the inserted like_count 0, read from the database instead.
    await dropBehindCache(kept.id);
    expect((await cached.posts.byIds([kept.id])).get(kept.id)?.text).toBe('#roost kept');
    expect((await cached.posts.byIds([counted.id])).get(counted.id)!.likeCount).toBe(1);
  });

  it('holds the last TTL of rows: expired entries are dropped as new ones come, not kept until the cache is full', async () => {
    const cache = new RowCache<{ id: string }>(20);
    for (let i = 0; i < 100; i++) cache.set(String(i), { id: String(i) });
    cache.set('5', { id: '5' });
    expect(cache.size).toBe(100);
    await new Promise((r) => setTimeout(r, 40));
    cache.set('new', { id: 'new' });
    expect(cache.size).toBe(1);
    expect(cache.get('new')).toEqual({ id: 'new' });
  });
});
