/**
 * Loading a whole world into a new database in one transaction (the seed, seed/world.ts). On SQLite two things make
 * that several times cheaper and change nothing a reader can tell once it is done:
 *
 * - **Connection settings for the load**, put back afterwards whatever happens: a big page cache (`cache_size`;
 *   SQLite's default keeps a few MB of pages, past which every B-tree written out of order goes through the file and
 *   the load slows down as the database grows), helper threads for sorting (`threads`), no foreign-key lookups
 *   (`foreign_keys`; the loaded rows reference only rows loaded before them), and a rollback journal instead of the
 *   write-ahead log (`journal_mode`: each new page is written once instead of twice). None of these changes what is
 *   stored or whether the load is atomic.
 * - **Secondary indexes built after the rows.** Inside the load's transaction the secondary indexes of the bulk
 *   tables are dropped and, once the rows are in, created again from the very DDL `sqlite_master` held: one sorted
 *   build per index instead of one out-of-order insert per row. Both happen inside the transaction, so the load
 *   stays atomic (an interrupted seed rolls back to a database with every index and no rows), and the schema after
 *   it is the migrated schema, text for text (tests/bulk-load.test.ts compares `sqlite_master`). Primary keys and
 *   unique constraints stay in place (they check the rows as they come).
 *
 * PostgreSQL loads through the same calls with neither (a plain transaction): there is no target there, and its
 * server settings are not this process's to change.
 */
import { totalmem } from 'node:os';
import type { Store } from '../db/connect.js';
import { createRepos, type Repos } from './index.js';

export interface BulkLoadOptions {
  /** Tables whose secondary indexes wait for the rows (SQLite). */
  tables: readonly string[];
  /** Page cache for the load (SQLite), in bytes; default a quarter of the machine's memory, at most 4 GiB. */
  cacheBytes?: number;
}

/** SQLite allocates its page cache as pages are used: a big limit costs nothing a small load does not use. */
const defaultCacheBytes = () => Math.min(4 * 1024 ** 3, Math.floor(totalmem() / 4));

export interface BulkLoad {
  /**
   * Builds the indexes the load dropped, in their migrated form. Call it once the bulk rows are written (later
   * writes in the same transaction then have their indexes again); the load calls it itself if `fn` did not.
   */
  restoreIndexes(onIndex?: (done: number, total: number) => void): Promise<void>;
}

/**
 * Runs `fn` in one transaction with repositories bound to it, as `Repos.transaction` does, with the load's settings
 * (see the header) around it; whatever happens, the connection's settings are put back.
 */
export async function bulkLoad<T>(store: Store, opts: BulkLoadOptions, fn: (repos: Repos, load: BulkLoad) => Promise<T>): Promise<T> {
  const repos = createRepos(store);
  if (store.dialect.name !== 'sqlite' || !store.run || !store.read) return repos.transaction((r) => fn(r, { restoreIndexes: async () => {} }));
  const read = store.read;
  const run = store.run;
  // Leaving WAL journaling needs the database to this connection alone: the checkpointer's connection closes.
  const resumeCheckpoints = (await store.pauseCheckpoints?.()) ?? (() => {});
  // Setting journal_mode answers the mode now in force; the other settings answer nothing.
  const get = async (name: string) => Object.values((await read<Record<string, unknown>>(`pragma ${name}`, []))[0] ?? {})[0];
  const set = (name: string, value: number) => run(`pragma ${name} = ${value}`, []);
  const journal = async (mode: string) => String(await get(`journal_mode = ${mode}`));
  // Connection settings, changed outside the transaction (SQLite ignores or refuses these inside one).
  const before = {
    cache: Number(await get('cache_size')),
    threads: Number(await get('threads')),
    foreignKeys: Number(await get('foreign_keys')),
    journal: String(await get('journal_mode')),
  };
  const restore = async () => {
    await set('cache_size', before.cache);
    await set('threads', before.threads);
    await set('foreign_keys', before.foreignKeys);
    if (before.journal === 'wal' && (await journal('wal')) !== 'wal') {
      throw new Error('bulk load: the database was loaded but could not be switched back to WAL journaling (another connection holds it); reopen it');
    }
  };
  let failed = true;
  try {
    // Negative: KiB rather than pages.
    await set('cache_size', -Math.max(1, Math.floor((opts.cacheBytes ?? defaultCacheBytes()) / 1024)));
    // Helper threads for the sorts of the index builds (about a tenth faster on two cores).
    await set('threads', 2);
    // The loaded rows reference only rows loaded before them (the seed plans them so); checking each reference is
    // one more B-tree lookup per row, most of them out of order. tests/bulk-load.test.ts checks a seeded world.
    await set('foreign_keys', 0);
    // A rollback journal instead of the write-ahead log: pages the load adds to a new database are written once,
    // into the file, instead of into the log and again by the checkpoint. Still atomic (the journal keeps what the
    // transaction overwrites). Leaving WAL needs no other connection (the checkpointer's is closed above).
    if (before.journal === 'wal') await journal('truncate');
    const value = await repos.transaction(async (r) => {
      const names = opts.tables.map(() => '?').join(', ');
      // `sql is null`: the automatic indexes of primary keys and unique constraints, which stay.
      const suspended = await read<{ name: string; sql: string }>(
        `select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${names}) order by rowid`,
        opts.tables,
      );
      for (const ix of suspended) await run(`drop index "${ix.name.replace(/"/g, '""')}"`, []);
      let restored = false;
      const load: BulkLoad = {
        async restoreIndexes(onIndex) {
          if (restored) return;
          restored = true;
          onIndex?.(0, suspended.length);
          // Rows held back by the transaction (search documents, mentions) go in before the indexes are built.
          await r.flush();
          for (let i = 0; i < suspended.length; i++) {
            await run(suspended[i]!.sql, []);
            onIndex?.(i + 1, suspended.length);
          }
        },
      };
      const loaded = await fn(r, load);
      await load.restoreIndexes();
      return loaded;
    });
    failed = false;
    return value;
  } finally {
    // A failed load's own error is the one to report.
    try {
      await restore().catch((err: unknown) => {
        if (!failed) throw err;
      });
    } finally {
      resumeCheckpoints();
    }
  }
}
