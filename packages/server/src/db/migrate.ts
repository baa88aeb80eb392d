import { Migrator, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Dialect } from './dialect.js';
import type { Database } from './tables.js';
import * as m001 from './migrations/001_init.js';
import * as m002 from './migrations/002_social.js';
import * as m003 from './migrations/003_oauth1.js';
import * as m004 from './migrations/004_oauth2.js';
import * as m005 from './migrations/005_limits.js';
import * as m006 from './migrations/006_stream_rules.js';
import * as m007 from './migrations/007_media.js';
import * as m008 from './migrations/008_search.js';
import * as m009 from './migrations/009_lists.js';
import * as m010 from './migrations/010_dm.js';
import * as m011 from './migrations/011_world_tail.js';
import * as m012 from './migrations/012_webhooks.js';
import * as m013 from './migrations/013_console.js';
import * as m014 from './migrations/014_broadcasts.js';
import * as m015 from './migrations/015_notes_news.js';
import * as m016 from './migrations/016_tail_rest.js';
import * as m017 from './migrations/017_activity_rest.js';
import * as m018 from './migrations/018_text_hash.js';

/**
 * Explicit, ordered list: no directory scanning, so bundling and tests see the same migrations. Migrations are
 * frozen: they import nothing outside db/ (tests/migrations.frozen.test.ts), so what one does never changes.
 */
const all = {
  '001_init': m001,
  '002_social': m002,
  '003_oauth1': m003,
  '004_oauth2': m004,
  '005_limits': m005,
  '006_stream_rules': m006,
  '007_media': m007,
  '008_search': m008,
  '009_lists': m009,
  '010_dm': m010,
  '011_world_tail': m011,
  '012_webhooks': m012,
  '013_console': m013,
  '014_broadcasts': m014,
  '015_notes_news': m015,
  '016_tail_rest': m016,
  '017_activity_rest': m017,
  '018_text_hash': m018,
} satisfies Record<string, { up(db: Kysely<unknown>, d: Dialect): Promise<void> }>;

export async function migrateToLatest(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  await migrate(db, dialect, (m) => m.migrateToLatest());
}

/** Migrates up to and including `name` (tests of a migration over data stored before it). */
export async function migrateTo(db: Kysely<Database>, dialect: Dialect, name: keyof typeof all): Promise<void> {
  await migrate(db, dialect, (m) => m.migrateTo(name));
}

async function migrate(db: Kysely<Database>, dialect: Dialect, run: (m: Migrator) => Promise<MigrationResultSet>): Promise<void> {
  const provider: MigrationProvider = {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, mod] of Object.entries(all)) out[name] = { up: (k) => mod.up(k, dialect) };
      return out;
    },
  };
  const { error, results } = await run(new Migrator({ db, provider, allowUnorderedMigrations: true }));
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${String((error as Error).message ?? error)}`);
  }
}

/** Names of every migration, in order. */
export const migrationNames = (): string[] => Object.keys(all);
