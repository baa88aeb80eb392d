/**
 * Seeding throughput on a temp SQLite file:
 *   npx tsx packages/server/src/seed/bench-seed.ts --users 10000 --posts 1000000 [--seed 1] [--keep]
 * Prints the world summary, elapsed time, rows/s, the seconds each phase took (from its first progress report to
 * the next phase's; the last one ends at the commit), and the file size.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../db/connect.js';
import { createProgressBar } from './progress.js';
import { seedWorld } from './world.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '10000' },
    posts: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    now: { type: 'string', default: '2026-11-01T00:00:00.000Z' },
    keep: { type: 'boolean', default: false },
  },
});

const users = Number(values.users);
const posts = Number(values.posts);
const dir = mkdtempSync(join(tmpdir(), 'roost-bench-seed-'));
const file = join(dir, 'world.db');
const store = await openStore(file);
const started = performance.now();
const bar = createProgressBar(process.stderr);
const phases: { name: string; at: number }[] = [];
const summary = await seedWorld(store, {
  seed: Number(values.seed),
  users,
  posts,
  now: Date.parse(values.now!),
  onProgress: (done, total, phase) => {
    if (phases[phases.length - 1]?.name !== phase) phases.push({ name: phase, at: performance.now() });
    bar(done, total, phase);
  },
});
const ended = performance.now();
const seconds = (ended - started) / 1000;
await store.close();

const rows = summary.users + summary.follows + summary.posts + summary.likes + summary.media + summary.polls + summary.places;
let bytes = 0;
for (const f of ['world.db', 'world.db-wal']) {
  try {
    bytes += statSync(join(dir, f)).size;
  } catch {
    // no WAL left after a clean close
  }
}
const n = (x: number) => x.toLocaleString('en-US');
console.log(JSON.stringify(summary, null, 2));
console.log(`seeded ${n(users)} users / ${n(posts)} posts in ${seconds.toFixed(1)} s`);
console.log(`  ${n(Math.round(posts / seconds))} posts/s, ${n(Math.round(rows / seconds))} rows/s (${n(rows)} rows: users, follows, posts, likes, media, polls, places)`);
console.log(`  phases: ${phases.map((p, i) => `${p.name} ${(((phases[i + 1]?.at ?? ended) - p.at) / 1000).toFixed(1)} s`).join(', ')}`);
console.log(`  database ${(bytes / 1024 / 1024).toFixed(0)} MiB at ${values.keep ? file : '(removed)'}`);
if (!values.keep) rmSync(dir, { recursive: true, force: true });
