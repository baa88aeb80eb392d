import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from './dialect.js';
import * as m001 from './migrations/001_init.js';
import * as m002 from './migrations/002_social.js';
import * as m003 from './migrations/003_oauth1.js';
import * as m004 from './migrations/004_oauth2.js';
import * as m005 from './migrations/005_limits.js';
import * as m006 from './migrations/006_stream_rules.js';
import * as m007 from './migrations/007_media.js';
import * as m008 from './migrations/008_search.js';

/** Explicit, ordered list: no directory scanning, so bundling and tests see the same migrations. */
const all: Record<string, { up(db: Kysely<any>, d: Dialect): Promise<void> }> = {
  '001_init': m001,
  '002_social': m002,
  '003_oauth1': m003,
  '004_oauth2': m004,
  '005_limits': m005,
  '006_stream_rules': m006,
  '007_media': m007,
  '008_search': m008,
};

export async function migrateToLatest(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const provider: MigrationProvider = {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, mod] of Object.entries(all)) out[name] = { up: (k) => mod.up(k, dialect) };
      return out;
    },
  };
  const { error, results } = await new Migrator({ db, provider, allowUnorderedMigrations: true }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${String((error as Error).message ?? error)}`);
  }
}
