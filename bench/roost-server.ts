/**
 * Roost under test, in its own process: seeds the deterministic demo world into a fresh SQLite file in a
 * temporary directory, listens on a free loopback port, and prints one JSON line on stdout:
 *   {"url": "...", "token": "<app-only bearer>", "postId": "<a visible post that references a visible post>"}
 * Then it answers commands on stdin, one line each:
 *   `profile start`        starts the V8 CPU profiler (so seeding stays out of the profile)   → `ok`
 *   `profile stop <path>`  stops it and writes a .cpuprofile to <path>                         → `ok`
 * Exits (deleting the temporary directory) on SIGTERM, SIGINT or when stdin closes.
 *
 * Rate limits and metering are OFF unless the environment turns them on (ROOST_RATE_LIMITS, ROOST_METERING;
 * also ROOST_LIMITER and ROOST_RATE_LIMIT_OVERRIDES): the lookup benches send thousands of requests with one
 * token, far past X's 15-minute limits. bench/auth-overhead.ts measures the cost of turning them on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { answerCommands, profilerCommand } from './children.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildConfig, startServer, type ServerHandle } from '@roost/server';

const PINNED_POST_ID = '1460323737035677698';

const users = Number(process.env.BENCH_USERS ?? 1000);
const posts = Number(process.env.BENCH_POSTS ?? 20000);

/**
 * A post whose author and whose referenced post (quoted or replied-to) are both visible, so
 * `expansions=author_id,referenced_tweets.id` hydrates two users and one post with no partial errors.
 * The pinned anchor post wins when it qualifies; otherwise the lowest such id (deterministic per seed).
 */
async function pickPost(h: ServerHandle): Promise<string> {
  const db = h.ctx.store.db;
  const candidates = (pinned: boolean) => {
    let q = db
      .selectFrom('posts as p')
      .innerJoin('users as a', 'a.id', 'p.author_id')
      .innerJoin('posts as r', (j) => j.on((eb) => eb.or([eb('r.id', '=', eb.ref('p.quoted_post_id')), eb('r.id', '=', eb.ref('p.in_reply_to_post_id'))])))
      .innerJoin('users as ra', 'ra.id', 'r.author_id')
      .where('p.deleted', '=', 0)
      .where('p.reposted_post_id', 'is', null)
      .where('r.deleted', '=', 0)
      .where('a.protected', '=', 0)
      .where('a.suspended', '=', 0)
      .where('a.withheld', 'is', null)
      .where('ra.protected', '=', 0)
      .where('ra.suspended', '=', 0)
      .where('ra.withheld', 'is', null)
      .select('p.id')
      .orderBy('p.id')
      .limit(1);
    if (pinned) q = q.where('p.id', '=', h.ctx.store.dialect.idParam(PINNED_POST_ID));
    return q.executeTakeFirst();
  };
  const row = (await candidates(true)) ?? (await candidates(false));
  if (!row) throw new Error('bench: the seeded world has no visible post that references a visible post');
  return String(row.id);
}

const dir = mkdtempSync(join(tmpdir(), 'roost-bench-'));
let handle: ServerHandle | undefined;
let stopping = false;

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    try {
      await handle?.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  process.exit(code);
}
process.on('SIGTERM', () => void stop(0));
process.on('SIGINT', () => void stop(0));

try {
  const config = buildConfig(
    {
      ROOST_PORT: '0',
      ROOST_LOG_LEVEL: 'silent',
      ROOST_RATE_LIMITS: process.env.ROOST_RATE_LIMITS ?? 'off',
      ROOST_METERING: process.env.ROOST_METERING ?? 'off',
      ROOST_LIMITER: process.env.ROOST_LIMITER,
      ROOST_RATE_LIMIT_OVERRIDES: process.env.ROOST_RATE_LIMIT_OVERRIDES,
    },
    { dbUrl: join(dir, 'roost.db'), seed: 1, world: { users, posts }, logLevel: 'silent' },
  );
  handle = await startServer(config);
  const postId = await pickPost(handle);
  process.stdout.write(`${JSON.stringify({ url: handle.url, token: handle.boot.bearerToken, postId })}\n`);
  const commands = createInterface({ input: process.stdin });
  answerCommands(commands, profilerCommand);
  // The parent holds our stdin: when it goes away, so do we.
  commands.on('close', () => void stop(0));
} catch (err) {
  process.stderr.write(`roost-server: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  await stop(1);
}
