/**
 * The seed's bulk load (data/bulk-load.ts) on SQLite: secondary indexes dropped and rebuilt inside the load's
 * transaction, connection settings changed for the load only. After it, the database must be one a migration made
 * (same schema, text for text) holding consistent rows; an interrupted load must leave it as it was.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/db/connect.js';
import { bulkLoad } from '../src/data/bulk-load.js';
import { seedWorld } from '../src/seed/world.js';
import { scratchDir } from './scratch.js';

const NOW = Date.UTC(2026, 10, 1);
const dir = scratchDir('roost-bulk-load-');
const stores: Store[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
});

async function open(name: string): Promise<Store> {
  const store = await openStore(join(dir, `${name}.db`));
  stores.push(store);
  return store;
}

/** Every schema object but its root page (which depends on what was written when). */
const schema = (store: Store) => store.read!<{ type: string; name: string; tbl_name: string; sql: string | null }>('select type, name, tbl_name, sql from sqlite_master order by type, name', []);

const settings = async (store: Store) => ({
  cache: (await store.read!<{ cache_size: number }>('pragma cache_size', []))[0]!.cache_size,
  threads: (await store.read!<{ threads: number }>('pragma threads', []))[0]!.threads,
  foreignKeys: (await store.read!<{ foreign_keys: number }>('pragma foreign_keys', []))[0]!.foreign_keys,
  journal: (await store.read!<{ journal_mode: string }>('pragma journal_mode', []))[0]!.journal_mode,
});

describe('bulk load (SQLite)', () => {
  it('leaves a seeded world with the migrated schema, every reference resolved and the connection as it was', async () => {
    const migrated = await open('migrated');
    const seeded = await open('seeded');
    // The checkpointer's connection is open by now: the load must close it to leave WAL journaling, and start it again.
    await new Promise((r) => setTimeout(r, 300));
    const before = await settings(seeded);
    const summary = await seedWorld(seeded, { seed: 3, users: 120, posts: 1500, now: NOW });
    expect(summary.posts).toBe(1500);
    const ours = await schema(seeded);
    expect(ours).toEqual(await schema(migrated));
    // The rebuilt indexes are there and used: a timeline query plans on the author index.
    expect(ours.filter((o) => o.tbl_name === 'posts' && o.type === 'index').map((o) => o.name)).toContain('posts_author_id');
    expect(await seeded.read!<Record<string, unknown>>('pragma foreign_key_check', [])).toEqual([]);
    expect(await seeded.read!<{ integrity_check: string }>('pragma integrity_check', [])).toEqual([{ integrity_check: 'ok' }]);
    expect(await settings(seeded)).toEqual(before);
    expect(before).toMatchObject({ foreignKeys: 1, journal: 'wal' });
  });

  it('rolls an interrupted load back to the database it started from, indexes and settings included', async () => {
    const migrated = await open('migrated-2');
    const store = await open('interrupted');
    const before = await settings(store);
    await expect(
      bulkLoad(store, { tables: ['posts', 'follows', 'likes'], cacheBytes: 64 * 1024 * 1024 }, async (repos, load) => {
        await seedFirstRows(store);
        expect(await store.read!('select name from sqlite_master where name = ?', ['posts_author_id'])).toEqual([]);
        await load.restoreIndexes();
        expect(await store.read!('select name from sqlite_master where name = ?', ['posts_author_id'])).toHaveLength(1);
        await repos.flush();
        throw new Error('interrupted');
      }),
    ).rejects.toThrow('interrupted');
    expect(await store.read!('select id from users', [])).toEqual([]);
    expect(await schema(store)).toEqual(await schema(migrated));
    expect(await settings(store)).toEqual(before);
  });

  it('rebuilds the indexes itself when the load does not', async () => {
    const migrated = await open('migrated-3');
    const store = await open('unfinished');
    await bulkLoad(store, { tables: ['posts', 'follows', 'likes'], cacheBytes: 64 * 1024 * 1024 }, async () => {
      await seedFirstRows(store);
    });
    expect(await schema(store)).toEqual(await schema(migrated));
    expect(await store.read!<{ n: number }>('select count(*) as n from posts where author_id = 1', [])).toEqual([{ n: 1 }]);
  });
});

/** A user and a post, written on the load's connection (SQLite: the one connection). */
async function seedFirstRows(store: Store): Promise<void> {
  await store.run!(`insert into users (id, username, username_lower, name, profile_image_url, created_at) values (1, 'a', 'a', 'A', '', 0)`, []);
  await store.run!(`insert into posts (id, author_id, text, created_at, conversation_id, edit_root_id) values (10, 1, 'hi', 0, 10, 10)`, []);
}
