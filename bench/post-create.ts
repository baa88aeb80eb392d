/**
 * `npx tsx bench/post-create.ts`: POST /2/tweets throughput on SQLite, as a ratio against the bare node:http
 * baseline (baseline-server.ts) measured in the same run.
 *
 * Roost runs in a child process (this same file with `--child`: seeds a small world into a temp SQLite file,
 * mints an all-scope user token for @XDevelopers, prints `{"url","token"}`). Every request carries a different
 * text — the duplicate-content rule would refuse repeats — and every response must be a 201; anything else
 * fails the run (exit 1). The baseline answers each POST with the exact bytes of a Roost 201.
 *
 * Flags: --duration <s> (8)  --warmup <s> (2)  --connections <n> (12)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon, { type Options, type Result } from 'autocannon';
import { benchEntry, log, positive } from './bench-kit.js';
import { ServerProcess, serveUntilParentCloses } from './children.js';

const { values: flags } = parseArgs({
  options: {
    child: { type: 'boolean', default: false },
    duration: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '12' },
  },
});


async function child(): Promise<void> {
  const { buildConfig, mintUserToken, startServer, XDEVELOPERS_ID } = await import('@roost/server');
  const dir = mkdtempSync(join(tmpdir(), 'roost-bench-post-'));
  const config = buildConfig(
    // Thousands of posts from one user: far past X's limits, and not what this bench measures.
    { ROOST_PORT: '0', ROOST_LOG_LEVEL: 'silent', ROOST_RATE_LIMITS: 'off', ROOST_METERING: 'off' },
    {
      dbUrl: join(dir, 'roost.db'),
      seed: 1,
      world: { users: Number(process.env.BENCH_USERS ?? 1000), posts: Number(process.env.BENCH_POSTS ?? 20000) },
      logLevel: 'silent',
    },
  );
  const handle = await startServer(config);
  const token = await mintUserToken(handle.ctx, { appId: handle.boot.appId, userId: XDEVELOPERS_ID });
  serveUntilParentCloses(handle, { url: handle.url, token }, dir);
}

interface Measured {
  result: Result;
  p50: number;
  p99: number;
}

let counter = 0;
/** Distinct texts with hashtags, a mention and a URL, so text processing and entity storage are in the cost. */
const nextBody = () => JSON.stringify({ text: `bench post ${++counter} by @XDevelopers #roost https://example.com/p/${counter}` });

async function load(url: string, headers: Record<string, string>, connections: number, seconds: number): Promise<Measured> {
  const times: number[] = [];
  const opts = {
    url,
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    connections,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
    requests: [{ method: 'POST', setupRequest: (req: Record<string, unknown>) => ({ ...req, body: nextBody() }) }],
  };
  const run = autocannon(opts as unknown as Options);
  run.on('response', (_c: unknown, _s: number, _b: number, ms: number) => times.push(ms));
  const result = await run;
  times.sort((a, b) => a - b);
  const at = (q: number) => (times.length ? times[Math.min(times.length - 1, Math.floor(q * times.length))]! : NaN);
  return { result, p50: at(0.5), p99: at(0.99) };
}

function assertAllOk(label: string, r: Result, status: string): void {
  const problems: string[] = [];
  const ok = r.statusCodeStats[status]?.count ?? 0;
  const others = Object.entries(r.statusCodeStats).filter(([code]) => code !== status);
  if (others.length) problems.push(`unexpected statuses ${JSON.stringify(Object.fromEntries(others))}`);
  if (r.errors) problems.push(`${r.errors} errors`);
  if (r.timeouts) problems.push(`${r.timeouts} timeouts`);
  if (!ok) problems.push(`no ${status} response at all`);
  if (problems.length) throw new Error(`${label}: ${problems.join(', ')}`);
}

async function main(): Promise<number> {
  const duration = positive('duration', flags.duration);
  const warmup = positive('warmup', flags.warmup);
  const connections = positive('connections', flags.connections);
  const work = mkdtempSync(join(tmpdir(), 'roost-bench-post-run-'));
  const children: ServerProcess[] = [];
  try {
    log('starting Roost (seeding a fresh demo world)…');
    const roost = ServerProcess.spawn('roost-post-server', './post-create.ts', ['--child']);
    children.push(roost);
    const hs = await roost.handshake<{ url: string; token: string }>(300_000);
    const auth = { authorization: `Bearer ${hs.token}` };
    const probe = await fetch(`${hs.url}/2/tweets`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: nextBody() });
    const probeText = await probe.text();
    if (probe.status !== 201) throw new Error(`probe: expected 201, got ${probe.status}: ${probeText.slice(0, 300)}`);
    const bodyFile = join(work, 'body.json');
    writeFileSync(bodyFile, probeText);
    const baseline = ServerProcess.spawn('baseline-server', './baseline-server.ts', [bodyFile]);
    children.push(baseline);
    const base = await baseline.handshake<{ url: string }>(30_000);

    log(`baseline: warm-up ${warmup} s, then ${duration} s`);
    assertAllOk('baseline (warm-up)', (await load(`${base.url}/`, auth, connections, warmup)).result, '200');
    const rb = await load(`${base.url}/`, auth, connections, duration);
    assertAllOk('baseline', rb.result, '200');
    await baseline.stop();

    log(`POST /2/tweets: warm-up ${warmup} s, then ${duration} s`);
    assertAllOk('POST /2/tweets (warm-up)', (await load(`${hs.url}/2/tweets`, auth, connections, warmup)).result, '201');
    const rp = await load(`${hs.url}/2/tweets`, auth, connections, duration);
    assertAllOk('POST /2/tweets', rp.result, '201');

    const ratio = rp.result.requests.average / rb.result.requests.average;
    const row = (name: string, m: Measured, r: string) =>
      `${name.padEnd(32)}  ${m.result.requests.average.toFixed(0).padStart(7)}  ${m.p50.toFixed(2).padStart(7)}  ${m.p99.toFixed(2).padStart(7)}  ${r.padStart(11)}`;
    process.stdout.write(
      [
        '',
        `${'benchmark'.padEnd(32)}  ${'req/s'.padStart(7)}  ${'p50 ms'.padStart(7)}  ${'p99 ms'.padStart(7)}  ${'vs baseline'.padStart(11)}`,
        row('baseline node:http fixed JSON', rb, '1.00 (ref)'),
        row('POST /2/tweets (SQLite)', rp, ratio.toFixed(2)),
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    rmSync(work, { recursive: true, force: true });
  }
}

benchEntry('post-create', !!flags.child, child, main);
