import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { Database } from './tables.js';
import { postgresDialect, sqliteDialect, type Dialect } from './dialect.js';
import { migrateToLatest } from './migrate.js';

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  close(): Promise<void>;
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
    store = { db, dialect: postgresDialect, close: () => db.destroy() };
  } else {
    const SQLite = (await import('better-sqlite3')).default;
    if (url !== ':memory:') mkdirSync(dirname(url), { recursive: true });
    const sqlite = new SQLite(url);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    // Snowflake ids exceed 2^53: read every integer as BigInt and let data/rows.ts convert.
    sqlite.defaultSafeIntegers(true);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    store = { db, dialect: sqliteDialect, close: () => db.destroy() };
  }
  if (opts.migrate !== false) await migrateToLatest(store.db, store.dialect);
  return store;
}

/**
 * Kysely's SQLite driver prepares every statement anew; preparing costs more than running a point lookup.
 * Reuse prepared statements by SQL text (bounded; the query shapes of data/ are few).
 */
function withStatementCache(sqlite: import('better-sqlite3').Database) {
  const cache = new Map<string, import('better-sqlite3').Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (!stmt || stmt.busy) {
        stmt = sqlite.prepare(sql);
        if (cache.size >= 500) cache.delete(cache.keys().next().value!);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}
