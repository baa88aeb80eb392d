/**
 * startRoost({ world: 'demo' }): the seeded demo world at a given instant, the same world again from the cache on
 * the next start (without seeding), and reset back to it.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startRoost, XDEVELOPERS, type Roost } from '../src/index.js';

// An instant no other test uses: its cache entry is this file's own.
const NOW = `2026-05-0${1 + (process.pid % 9)}T12:00:00.000Z`;
const CACHE = join(tmpdir(), 'roost-testing-cache');
const started: Roost[] = [];
const before = new Set(existsSync(CACHE) ? readdirSync(CACHE) : []);

afterAll(async () => {
  await Promise.all(started.map((r) => r.stop()));
  if (existsSync(CACHE)) for (const f of readdirSync(CACHE)) if (!before.has(f)) rmSync(join(CACHE, f), { force: true });
});

async function timeline(r: Roost): Promise<string[]> {
  const res = await fetch(`${r.url}/2/users/${XDEVELOPERS.id}/tweets?max_results=20`, { headers: { authorization: `Bearer ${r.credentials.bearerToken}` } });
  return ((await res.json()) as { data: { id: string }[] }).data.map((p) => p.id);
}

describe("world: 'demo'", () => {
  it('seeds the demo world at `now`, then starts the next one from the cache with the same world', async () => {
    const t0 = performance.now();
    const first = await startRoost({ world: 'demo', seed: 3, now: NOW, frozen: true });
    const seededMs = performance.now() - t0;
    started.push(first);
    expect((await first.clock.get()).now.toISOString()).toBe(NOW);
    const me = await fetch(`${first.url}/2/users/${XDEVELOPERS.id}?user.fields=public_metrics`, {
      headers: { authorization: `Bearer ${first.credentials.bearerToken}` },
    });
    expect(((await me.json()) as { data: { public_metrics: { followers_count: number } } }).data.public_metrics.followers_count).toBeGreaterThan(0);
    const posts = await timeline(first);
    expect(posts).toHaveLength(20);
    const cached = readdirSync(CACHE).filter((f) => !before.has(f));
    expect(cached).toHaveLength(1);
    expect(statSync(join(CACHE, cached[0]!)).size).toBeGreaterThan(1_000_000);

    const t1 = performance.now();
    const second = await startRoost({ world: 'demo', seed: 3, now: NOW, frozen: true });
    const cachedMs = performance.now() - t1;
    started.push(second);
    expect(await timeline(second)).toEqual(posts);
    expect(cachedMs).toBeLessThan(seededMs);

    await second.users.create('visitor');
    await second.reset();
    expect(await timeline(second)).toEqual(posts);
    const gone = await fetch(`${second.url}/2/users/by/username/visitor`, { headers: { authorization: `Bearer ${second.credentials.bearerToken}` } });
    expect(((await gone.json()) as { errors?: { title: string }[] }).errors?.[0]?.title).toBe('Not Found Error');
  });
});
