/**
 * `roost reindex` and migration 008 over posts stored before it: search documents rebuilt from posts with the
 * current indexing code, on SQLite and PostgreSQL.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '@roost/dev-env';
import { openStore, type Store } from '../src/db/connect.js';
import { migrateTo, migrateToLatest } from '../src/db/migrate.js';
import { createRepos } from '../src/data/index.js';
import { reindexPosts } from '../src/data/search.js';
import { seedWorld } from '../src/seed/world.js';
import { parseQuery } from '../src/query/index.js';

const NOW = Date.UTC(2026, 10, 1);
const dir = mkdtempSync(join(tmpdir(), 'roost-reindex-'));
let pg: Promise<PostgresServer> | undefined;
afterAll(async () => {
  if (pg) await (await pg.catch(() => undefined))?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Every document and geo row, as comparable text. */
async function snapshot(store: Store): Promise<{ docs: string[]; geo: string[] }> {
  const docs =
    store.dialect.name === 'sqlite'
      ? await sql<{ id: string; doc: string }>`select cast(rowid as text) as id, doc from post_search order by rowid`.execute(store.db)
      : await sql<{ id: string; doc: string }>`select post_id::text as id, doc::text as doc from post_search order by post_id`.execute(store.db);
  const geo = await sql<Record<string, unknown>>`select cast(post_id as text) as id, lon, lat, west, south, east, north from post_geo order by post_id`.execute(store.db);
  return { docs: docs.rows.map((r) => `${r.id} ${r.doc}`), geo: geo.rows.map((r) => JSON.stringify(r)) };
}

async function search(store: Store, q: string): Promise<string[]> {
  const parsed = parseQuery(q, { product: 'all', tier: 'enterprise' });
  if (!parsed.ok) throw new Error(parsed.messages.join('; '));
  return createRepos(store).search.ids(parsed.ast, { limit: 50, order: 'recency', visibility: 'all' });
}

let fresh = 0;
/** An empty database of its own (a new file, or a new database on the shared PostgreSQL server). */
const engines: [string, (migrate: boolean) => Promise<Store>][] = [
  ['sqlite', (migrate) => openStore(join(dir, `roost-${++fresh}.db`), { migrate })],
  [
    'postgres',
    async (migrate) => {
      const server = await (pg ??= startPostgres());
      const name = `reindex_${++fresh}`;
      const admin = await openStore(server.url, { migrate: false });
      await sql`create database ${sql.id(name)}`.execute(admin.db);
      await admin.close();
      return openStore(server.url.replace(/\/[^/]+$/, `/${name}`), { migrate });
    },
  ],
];

describe.each(engines)('reindex: %s', (_name, open) => {
  it('changes nothing when nothing changed; rebuilds dropped documents so search finds posts again', async () => {
    const store = await open(true);
    try {
      await seedWorld(store, { seed: 7, users: 40, posts: 300, now: NOW });
      const before = await snapshot(store);
      expect(before.docs.length).toBe(300);
      expect(before.geo.length).toBeGreaterThan(0);
      const word = (await sql<{ text: string }>`select text from posts where reposted_post_id is null order by id limit 1`.execute(store.db)).rows[0]!.text
        .split(/\s+/)
        .find((w) => /^[a-z]{4,}$/.test(w))!;
      const found = await search(store, word);
      expect(found.length).toBeGreaterThan(0);

      let progress = 0;
      expect(await reindexPosts(store.db, store.dialect, { batch: 70, onProgress: (n) => (progress = n) })).toBe(300);
      expect(progress).toBe(300);
      expect(await snapshot(store)).toEqual(before);

      await sql`delete from post_search`.execute(store.db);
      await sql`delete from post_geo`.execute(store.db);
      expect(await search(store, word)).toEqual([]);
      expect(await reindexPosts(store.db, store.dialect, { batch: 64 })).toBe(300);
      expect(await snapshot(store)).toEqual(before);
      expect(await search(store, word)).toEqual(found);
    } finally {
      await store.close();
    }
  });

  it('migration 008 indexes posts stored before it', async () => {
    const store = await open(false);
    try {
      await migrateTo(store.db, store.dialect, '007_media');
      const id = (n: number) => store.dialect.idParam(String(1_800_000_000_000_000_000n + BigInt(n)));
      await sql`insert into users (id, username, username_lower, name, profile_image_url, created_at) values (${id(1)}, ${'Early'}, ${'early'}, ${'Early Bird'}, ${'https://img.example/e.png'}, ${NOW})`.execute(store.db);
      await sql`insert into places (id, full_name, name, country, country_code, place_type, bbox) values (${'p1'}, ${'Lisbon, Portugal'}, ${'Lisbon'}, ${'Portugal'}, ${'PT'}, ${'city'}, ${'[-9.23,38.69,-9.09,38.8]'})`.execute(store.db);
      const entities = JSON.stringify({ hashtags: [{ start: 19, end: 26, tag: 'Roost' }] });
      for (const [n, text, place] of [
        [10, 'ancient pelicans of #Roost', 'p1'],
        [11, 'nothing to see here', null],
      ] as const) {
        await sql`insert into posts (id, author_id, text, created_at, conversation_id, edit_root_id, entities, place_id) values (${id(n)}, ${id(1)}, ${text}, ${NOW}, ${id(n)}, ${id(n)}, ${n === 10 ? entities : null}, ${place})`.execute(store.db);
      }
      await migrateToLatest(store.db, store.dialect);
      const first = String(1_800_000_000_000_000_010n);
      expect(await search(store, 'pelicans')).toEqual([first]);
      expect(await search(store, '#roost')).toEqual([first]);
      expect(await search(store, 'place:lisbon')).toEqual([first]);
      expect(await search(store, 'from:early has:geo')).toEqual([first]);
      expect(await search(store, 'see')).toEqual([String(1_800_000_000_000_000_011n)]);
      // A tripwire: 008's frozen document still equals search/doc.ts's. When indexing changes, this becomes
      // "reindex changes the documents", and the release notes must tell operators to run `roost reindex`.
      const migrated = await snapshot(store);
      expect(await reindexPosts(store.db, store.dialect)).toBe(2);
      expect(await snapshot(store)).toEqual(migrated);
    } finally {
      await store.close();
    }
  });

  it('migration 018 hashes the texts of posts stored before it, so the duplicate-content check finds them', async () => {
    const store = await open(false);
    try {
      await migrateTo(store.db, store.dialect, '017_activity_rest');
      const id = (n: number) => String(1_800_000_000_000_000_000n + BigInt(n));
      const p = (n: number) => store.dialect.idParam(id(n));
      await sql`insert into users (id, username, username_lower, name, profile_image_url, created_at) values (${p(1)}, ${'Early'}, ${'early'}, ${'Early Bird'}, ${'https://img.example/e.png'}, ${NOW})`.execute(store.db);
      // More posts than one chunk of the migration's backfill (5,000), so its keyset paging is exercised.
      for (let n = 10; n < 5_210; n += 200) {
        const values = Array.from({ length: 200 }, (_, k) => sql`(${p(n + k)}, ${p(1)}, ${`early post ${n + k} ✨`}, ${NOW}, ${p(n + k)}, ${p(n + k)})`);
        await sql`insert into posts (id, author_id, text, created_at, conversation_id, edit_root_id) values ${sql.join(values)}`.execute(store.db);
      }
      await migrateToLatest(store.db, store.dialect);
      const unhashed = await sql<{ n: number }>`select count(*) as n from posts where text_hash is null`.execute(store.db);
      expect(Number(unhashed.rows[0]!.n)).toBe(0);
      const repos = createRepos(store);
      for (const n of [10, 5_009, 5_209]) expect(await repos.posts.hasDuplicate(id(1), `early post ${n} ✨`, id(0))).toBe(true);
      expect(await repos.posts.hasDuplicate(id(1), 'early post 5210 ✨', id(0))).toBe(false);
      // Outside the window (ids above the post's) or in the excepted edit chain: not a duplicate.
      expect(await repos.posts.hasDuplicate(id(1), 'early post 10 ✨', id(10))).toBe(false);
      expect(await repos.posts.hasDuplicate(id(1), 'early post 10 ✨', id(0), id(10))).toBe(false);
    } finally {
      await store.close();
    }
  });
});

describe('roost reindex (CLI)', () => {
  it('reindexes a database named by --db and reports the count; a bad --batch exits 2', async () => {
    const db = join(dir, 'cli.db');
    const store = await openStore(db);
    await seedWorld(store, { seed: 3, users: 20, posts: 120, now: NOW });
    await sql`delete from post_search`.execute(store.db);
    await store.close();
    const bin = resolve(import.meta.dirname, '../bin/roost.js');
    const r = spawnSync(process.execPath, [bin, 'reindex', '--batch', '50', '--db', db], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Reindexed 120 posts');
    const again = await openStore(db);
    try {
      const n = await sql<{ n: number | bigint }>`select count(*) as n from post_search`.execute(again.db);
      expect(Number(n.rows[0]!.n)).toBe(120);
    } finally {
      await again.close();
    }
    const bad = spawnSync(process.execPath, [bin, 'reindex', '--batch', 'zero', '--db', db], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('usage: roost reindex');
    // Two CLI processes booting tsx after an in-process seed: well past the default timeout on a loaded machine.
  }, 120_000);
});
