/**
 * Home timeline latency: `GET /2/users/:id/timelines/reverse_chronological` for a user following 2,000 accounts
 * in a 1M-post world, at a fixed 100 requests/s, against the bare node:http baseline paced the same way.
 *
 *   npx tsx bench/home-timeline.ts [--seconds 20] [--rate 100]
 *
 * The world (seed 1, 10,000 users, 1,000,000 posts, "now" 2026-11-01) is seeded once into a file under the OS temp
 * directory and reused by later runs (seeding takes about two minutes); the server runs on a fixed clock at that
 * "now", so the 7-day home window always holds the same posts. Requests vary: first pages, pages reached through
 * next_token chains (up to 3,200 entries deep), exclude filters and since_id windows.
 *
 * Target: p99 under 25 ms. The ratio printed is Roost's latency over the baseline's at the same pace.
 * Run with `--serve` this file is the Roost child process (see children.ts for the handshake protocol).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'node:http';
import { ServerProcess, serveUntilParentCloses } from './children.js';

const NOW = Date.UTC(2026, 10, 1);
const WORLD = { users: 10_000, posts: 1_000_000 };
const FOLLOWING = 2000;
const TARGET_P99_MS = 25;
const CACHE = join(tmpdir(), `roost-bench-home-s1-${WORLD.users}u-${WORLD.posts}p-v1.db`);

const { values: flags } = parseArgs({
  options: {
    serve: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '20' },
    rate: { type: 'string', default: '100' },
  },
});

function log(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

// ---------------------------------------------------------------------------------------------------------------
// Child: Roost on the cached world.

async function serve(): Promise<void> {
  const { buildConfig, startServer, ManualClock, mintUserToken } = await import('@roost/server');
  const { sql } = await import('kysely');
  const fresh = !existsSync(CACHE);
  if (fresh) log(`seeding ${WORLD.users} users / ${WORLD.posts} posts into ${CACHE} (once; about two minutes)…`);
  // Rate limits and metering off: one user's timeline thousands of times is past X's 180 per 15 minutes.
  const config = buildConfig({ ROOST_PORT: '0', ROOST_LOG_LEVEL: 'silent', ROOST_RATE_LIMITS: 'off', ROOST_METERING: 'off' }, { dbUrl: CACHE, seed: 1, world: WORLD, logLevel: 'silent' });
  const handle = await startServer(config, { clock: new ManualClock(NOW) });
  const db = handle.ctx.store.db;
  // The bench user: the account following the most others, topped up to exactly FOLLOWING followees.
  const top = (await sql<{ id: string; n: number }>`select cast(follower_id as text) as id, count(*) as n from follows group by follower_id order by count(*) desc, follower_id limit 1`.execute(db)).rows[0]!;
  const userId = String(top.id);
  const have = Number(top.n);
  if (have < FOLLOWING) {
    await sql`insert into follows (follower_id, followee_id, created_at)
      select ${BigInt(userId)}, id, ${NOW - 86_400_000} from users
      where id <> ${BigInt(userId)} and suspended = 0 and id not in (select followee_id from follows where follower_id = ${BigInt(userId)})
      order by id limit ${FOLLOWING - have}`.execute(db);
  }
  const token = await mintUserToken(handle.ctx, { appId: handle.boot.appId, userId });
  serveUntilParentCloses(handle, { url: handle.url, token, userId });
}

// ---------------------------------------------------------------------------------------------------------------
// Parent: paced load.

interface Paced {
  p50: number;
  p99: number;
  max: number;
  n: number;
  failures: number;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function get(url: string, headers: Record<string, string>): Promise<{ status: number; body: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t0 }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Sends `urls` round-robin at `rate` per second for `seconds`, open loop (a slow answer does not delay the next send). */
async function paced(urls: string[], headers: Record<string, string>, rate: number, seconds: number): Promise<Paced> {
  const total = Math.round(rate * seconds);
  const times: number[] = [];
  let failures = 0;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inflight.push(
      get(urls[i % urls.length]!, headers).then(
        (r) => {
          if (r.status !== 200) failures++;
          times.push(r.ms);
        },
        () => void failures++,
      ),
    );
  }
  await Promise.all(inflight);
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { p50: at(0.5), p99: at(0.99), max: times[times.length - 1]!, n: times.length, failures };
}

async function main(): Promise<number> {
  const seconds = Number(flags.seconds);
  const rate = Number(flags.rate);
  if (!(seconds > 0 && seconds <= 20)) throw new Error('--seconds must be in (0, 20]');
  const work = mkdtempSync(join(tmpdir(), 'roost-bench-home-'));
  const children: ServerProcess[] = [];
  try {
    log(existsSync(CACHE) ? `reusing ${CACHE}` : `no cached world yet at ${CACHE}`);
    const roost = ServerProcess.spawn('home-roost', './home-timeline.ts', ['--serve']);
    children.push(roost);
    const hs = await roost.handshake<{ url: string; token: string; userId: string }>(900_000);
    const headers = { authorization: `Bearer ${hs.token}` };
    const base = `${hs.url}/2/users/${hs.userId}/timelines/reverse_chronological`;
    const fields = 'tweet.fields=created_at,author_id,public_metrics&expansions=author_id';

    // Request mix: first pages and deeper pages reached through next_token chains, with and without filters.
    const urls: string[] = [];
    let firstBody = '';
    for (const variant of ['', '&exclude=replies', '&exclude=replies,retweets']) {
      let next: string | undefined;
      for (let depth = 0; depth < 32; depth++) {
        const url = `${base}?max_results=100&${fields}${variant}${next ? `&pagination_token=${next}` : ''}`;
        const r = await get(url, headers);
        if (r.status !== 200) throw new Error(`probe ${url}: ${r.status} ${r.body.slice(0, 300)}`);
        const j = JSON.parse(r.body);
        if (!firstBody) {
          firstBody = r.body;
          if (!(j.data?.length > 0)) throw new Error(`probe: empty home timeline: ${r.body.slice(0, 300)}`);
          urls.push(`${base}?max_results=100&${fields}&since_id=${j.data[Math.floor(j.data.length / 2)].id}`);
        }
        urls.push(url);
        next = j.meta?.next_token;
        if (!next) break;
      }
    }
    log(`home of user ${hs.userId}: ${urls.length} distinct requests (pages up to 3,200 deep, filters, since_id)`);

    // One request at a time first: the cost of each request with no queueing.
    const serial: number[] = [];
    for (let round = 0; round < 3; round++) for (const u of urls) serial.push((await get(u, headers)).ms);
    serial.sort((x, y) => x - y);
    log(`serial: p50 ${serial[Math.floor(serial.length / 2)]!.toFixed(2)} ms, p99 ${serial[Math.floor(serial.length * 0.99)]!.toFixed(2)} ms`);

    const bodyFile = join(work, 'body.json');
    writeFileSync(bodyFile, firstBody);
    const baseline = ServerProcess.spawn('baseline-server', './baseline-server.ts', [bodyFile]);
    children.push(baseline);
    const b = await baseline.handshake<{ url: string }>(30_000);

    log(`warm-up 2 s each, then ${seconds} s at ${rate} req/s…`);
    await paced([`${b.url}/`], headers, rate, 2);
    const ref = await paced([`${b.url}/`], headers, rate, seconds);
    await baseline.stop();
    await paced(urls, headers, rate, 2);
    const m = await paced(urls, headers, rate, seconds);

    const row = (name: string, p: Paced, ratio?: string) =>
      `${name.padEnd(34)} ${String(p.n).padStart(6)} ${p.p50.toFixed(2).padStart(8)} ${p.p99.toFixed(2).padStart(8)} ${p.max.toFixed(2).padStart(8)}  ${ratio ?? '1.00 (ref)'}`;
    process.stdout.write(
      `\n${'benchmark'.padEnd(34)} ${'n'.padStart(6)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}  p50/p99 vs baseline\n` +
        `${row('baseline node:http fixed JSON', ref)}\n` +
        `${row('home timeline, 2,000 followees', m, `${(m.p50 / ref.p50).toFixed(1)}x / ${(m.p99 / ref.p99).toFixed(1)}x`)}\n\n`,
    );
    if (m.failures || ref.failures) {
      log(`BENCH FAILED: ${m.failures + ref.failures} non-200 responses or errors`);
      return 1;
    }
    const pass = m.p99 < TARGET_P99_MS;
    process.stdout.write(`home timeline p99 ${m.p99.toFixed(2)} ms at ${rate} req/s: ${pass ? 'PASS' : 'MISS'} (target < ${TARGET_P99_MS} ms)\n`);
    return 0;
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    agent.destroy();
    rmSync(work, { recursive: true, force: true });
  }
}

if (flags.serve) {
  serve().catch((err: unknown) => {
    log(`home-roost: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  });
} else {
  main().then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      log(`bench crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exitCode = 1;
    },
  );
}
