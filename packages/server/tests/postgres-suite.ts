/** Test suites that also run against a real PostgreSQL: one throwaway server per test file, started on first use. */
import { afterAll, describe, it } from 'vitest';
import { postgresAvailable, startPostgres, type PostgresServer } from '@roost/dev-env';
import { openStore, type Store } from '../src/db/connect.js';

/**
 * Declares `suite` (named `name`) over stores opened on one throwaway PostgreSQL server, stopped after the file.
 * Without the server binaries the suite is reported as skipped — outside CI only; in CI their absence is a failure,
 * never a silent skip.
 */
export function onPostgres(name: string, suite: (openPg: () => Promise<Store>) => void): void {
  if (!postgresAvailable() && !process.env.CI) {
    describe.skip(`${name} — skipped: no PostgreSQL server binaries under /usr/lib/postgresql/<ver>/bin (apt-get install postgresql); CI fails instead`, () => {
      it('runs against PostgreSQL', () => undefined);
    });
    return;
  }
  let server: Promise<PostgresServer> | undefined;
  afterAll(async () => {
    if (server) await (await server.catch(() => undefined))?.stop();
  });
  suite(async () => openStore((await (server ??= startPostgres())).url));
}
