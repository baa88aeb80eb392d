import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { Database } from './tables.js';
import { postgresDialect, sqliteDialect, type Dialect } from './dialect.js';
import { WalCheckpointer } from './checkpointer.js';
import { migrateToLatest } from './migrate.js';

/**
 * A parameterized read outside the query builder, for the few hottest lookups (see data/posts.ts, users.ts).
 * Integers come back as JS numbers, so id columns must be selected through `Dialect.textId`.
 */
export type ReadFn = <T>(sql: string, params: readonly unknown[]) => Promise<T[]>;

/**
 * A parameterized write outside the query builder, for the write path's hot statements (a prepared statement
 * per SQL text in SQLite). Resolves to the number of rows it changed.
 */
export type RunFn = (sql: string, params: readonly unknown[]) => Promise<number>;

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Direct reads: a cached prepared statement in SQLite, the pool in PostgreSQL. Absent on transaction views. */
  readonly read?: ReadFn;
  /** Direct writes, like `read`. */
  readonly run?: RunFn;
  /**
   * Whether `read`/`run` use the very connection transactions run on (SQLite: one connection), so that they may be
   * used inside a transaction. PostgreSQL's go through the pool: inside a transaction only its own connection may
   * be used.
   */
  readonly directInTransactions?: boolean;
  /**
   * SQLite: stops the checkpointer (db/checkpointer.ts), closing its connection, for work that needs the database
   * to itself (a bulk load leaves WAL journaling, which no other connection may hold); the returned function starts
   * it again.
   */
  readonly pauseCheckpoints?: () => Promise<() => void>;
  close(): Promise<void>;
}

/** The store's direct reader, or one through Kysely (e.g. inside a transaction). */
export function readerFor(store: Pick<Store, 'db' | 'read'>): ReadFn {
  if (store.read) return store.read;
  return async <T>(sql: string, params: readonly unknown[]) => (await store.db.executeQuery<T>(CompiledQuery.raw(sql, [...params]))).rows as T[];
}

/** The store's direct writer, or one through Kysely (e.g. inside a PostgreSQL transaction). */
export function runnerFor(store: Pick<Store, 'db' | 'run'>): RunFn {
  if (store.run) return store.run;
  return async (sql: string, params: readonly unknown[]) => Number((await store.db.executeQuery(CompiledQuery.raw(sql, [...params]))).numAffectedRows ?? 0n);
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** Opens the store named by a SQLite file path (or `:memory:`) or a postgres:// URL, and migrates it. */
export async function openStore(url: string, opts: { migrate?: boolean; poolSize?: number } = {}): Promise<Store> {
  let store: Store;
  if (isPostgresUrl(url)) {
    const pg = (await import('pg')).default;
    // int8 (ids, counters) stays a string from pg; data/rows.ts turns counters into numbers.
    const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10 });
    // An idle pooled connection can die (server restart or failover, pg_terminate_backend, or the server
    // stopping while close() is still ending sockets). pg-pool has already discarded that client and the next
    // query opens a fresh one; without a listener, the pool's 'error' event would crash the process.
    pool.on('error', () => undefined);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const read = async <T>(sql: string, params: readonly unknown[]) => (await pool.query(sql, params as unknown[])).rows as T[];
    const run = async (sql: string, params: readonly unknown[]) => (await pool.query(sql, params as unknown[])).rowCount ?? 0;
    store = { db, dialect: postgresDialect, read: read as ReadFn, run, directInTransactions: false, close: () => db.destroy() };
  } else {
    const SQLite = (await import('better-sqlite3')).default;
    if (url !== ':memory:') {
      mkdirSync(dirname(url), { recursive: true });
      // A new database is readable by its owner only (it holds credential digests); SQLite gives its WAL and
      // shared-memory files the database file's permissions.
      if (!existsSync(url)) closeSync(openSync(url, 'a', 0o600));
    }
    const sqlite = new SQLite(url);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    // Checkpoints run on a worker thread (db/checkpointer.ts), not inside this connection's commits.
    let checkpointer = url === ':memory:' ? null : new WalCheckpointer(url);
    if (checkpointer) sqlite.pragma('wal_autocheckpoint = 0');
    const pauseCheckpoints = async () => {
      const paused = checkpointer;
      await paused?.stop();
      checkpointer = null;
      return () => {
        if (paused) checkpointer = new WalCheckpointer(url);
      };
    };
    // Snowflake ids exceed 2^53: read every integer as BigInt and let data/rows.ts convert.
    sqlite.defaultSafeIntegers(true);
    const statements = withStatementCache(sqlite);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
    // Synchronous under the hood: no connection mutex, no driver round trip, and no BigInt per integer column
    // (ids arrive as text through Dialect.textId).
    const direct = withStatementCache(sqlite, false);
    const read = async <T>(sql: string, params: readonly unknown[]) => direct.prepare(sql).all(...params) as T[];
    const run = async (sql: string, params: readonly unknown[]) => direct.prepare(sql).run(...params).changes;
    const close = async () => {
      await checkpointer?.stop();
      await db.destroy();
    };
    store = { db, dialect: sqliteDialect, read: read as ReadFn, run, directInTransactions: true, pauseCheckpoints, close };
  }
  if (opts.migrate !== false) await migrateToLatest(store.db, store.dialect);
  return store;
}

/**
 * Kysely's SQLite driver prepares every statement anew; preparing costs more than running a point lookup.
 * Reuse prepared statements by SQL text (bounded; the query shapes of data/ are few).
 */
function withStatementCache(sqlite: import('better-sqlite3').Database, safeIntegers = true) {
  const cache = new Map<string, import('better-sqlite3').Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (!stmt || stmt.busy) {
        stmt = sqlite.prepare(sql);
        if (stmt.reader) stmt.safeIntegers(safeIntegers);
        if (cache.size >= 500) cache.delete(cache.keys().next().value!);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

/**
 * SQLite: fold the write-ahead log into the database file, so a copy of that file alone holds every commit. A
 * checkpoint another connection is running (the checkpointer's, db/checkpointer.ts) blocks this one from completing
 * — SQLite then answers `busy` instead of waiting — so it is tried again until it completes.
 */
export async function checkpoint(store: Pick<Store, 'db'>, timeoutMs = 10_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const r = await sql<{ busy: number | bigint }>`PRAGMA wal_checkpoint(TRUNCATE)`.execute(store.db);
    if (Number(r.rows[0]?.busy ?? 0) === 0) return;
    if (performance.now() > until) throw new Error(`the write-ahead log could not be checkpointed within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
