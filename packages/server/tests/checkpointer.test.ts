/**
 * SQLite checkpoints run on the worker thread (db/checkpointer.ts), not in the server's commits: the server's
 * connection never checkpoints, yet the write-ahead log stays small under a long stream of commits, and every
 * commit is in the database file once the store closes.
 */
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { checkpoint, openStore } from '../src/db/connect.js';
import { WalCheckpointer } from '../src/db/checkpointer.js';

const dir = mkdtempSync(join(tmpdir(), 'roost-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const walSize = (file: string) => (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);

describe('WAL checkpoints on a worker thread', () => {
  it('the server connection does not checkpoint, the log stays small over 40 MB of commits, and close keeps them all', async () => {
    const file = join(dir, 'roost.db');
    const store = await openStore(file, { migrate: false });
    const setting = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(store.db);
    expect(Number(setting.rows[0]!.wal_autocheckpoint)).toBe(0);
    await sql`create table blobs (id integer primary key, body text not null)`.execute(store.db);
    const body = 'x'.repeat(40_000);
    let largest = 0;
    for (let i = 0; i < 1_000; i++) {
      await store.db.transaction().execute((trx) => sql`insert into blobs (body) values (${body})`.execute(trx));
      // Let the worker run between commits, as it does between a server's group commits.
      if (i % 50 === 49) await new Promise((r) => setTimeout(r, 150));
      largest = Math.max(largest, walSize(file));
    }
    // 40 MB went through the log; it never held more than a few checkpoint intervals' worth.
    expect(largest).toBeLessThan(24 * 2 ** 20);
    await store.close();
    const again = await openStore(file, { migrate: false });
    try {
      const n = await sql<{ n: number }>`select count(*) as n from blobs`.execute(again.db);
      expect(Number(n.rows[0]!.n)).toBe(1_000);
    } finally {
      await again.close();
    }
  });

  it('an explicit checkpoint (snapshots, backups) completes even while the worker is checkpointing', async () => {
    const file = join(dir, 'busy.db');
    const store = await openStore(file, { migrate: false });
    // A second checkpointer running back to back: the explicit checkpoint keeps meeting one in progress.
    const rival = new WalCheckpointer(file, 0);
    try {
      await sql`create table rows (id integer primary key, body text not null)`.execute(store.db);
      for (let i = 0; i < 200; i++) {
        await sql`insert into rows (body) values (${'y'.repeat(5_000)})`.execute(store.db);
        await checkpoint(store);
        // Folded in and truncated: a copy of the database file alone holds every row.
        expect(walSize(file)).toBe(0);
      }
    } finally {
      await rival.stop();
      await store.close();
    }
  });
});
