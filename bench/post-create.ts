/**
 * `npm run bench:post-create`: POST /2/tweets throughput, as a ratio against the bare node:http baseline
 * (baseline-server.ts) measured in the same run, with a filtered-stream client connected the whole time.
 *
 * Roost runs in a child process (this same file with `--child`: seeds a small world into a temp SQLite file, or
 * into a throw-away PostgreSQL cluster with `--store postgres`, mints an all-scope user token for @XDevelopers,
 * prints `{"url","token","bearer"}`). Every request carries a different text — the duplicate-content rule would
 * refuse repeats — and every response must be a 201; anything else fails the run (exit 1). The baseline answers
 * each POST with the exact bytes of a Roost 201.
 *
 * The stream client: the default app gets `--rules` filtered-stream rules (`k0` … `k<n-1>`; post N carries the word
 * `k<N mod n>`, so every post matches exactly one rule and every rule is used) and stays connected through the
 * warm-up and the timed run. Every post whose 201 came back in the timed run must arrive on it (else exit 1);
 * the table reports how many arrived and the latency from the POST's 201 reaching the client to the post's line
 * reaching it (p50/p99; target p99 < 50 ms).
 *
 * Flags: --duration <s> (8)  --warmup <s> (2)  --connections <n> (64)  --rules <n> (1000, 0: no stream)
 *        --store sqlite|postgres (sqlite)  --profile (then a third run under the V8 CPU profiler: hot spots and
 *        the CPU microseconds of one post per stage; profiled figures are not tabled)
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon, { type Options, type Result } from 'autocannon';
import { benchEntry, log, pct, positive } from './bench-kit.js';
import { openFilteredStream, ServerProcess, serveBenchWorld } from './children.js';
import { formatStages, formatSummary, stages, summarize } from './profile-summary.js';

const { values: flags } = parseArgs({
  options: {
    child: { type: 'boolean', default: false },
    duration: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '64' },
    rules: { type: 'string', default: '1000' },
    store: { type: 'string', default: 'sqlite' },
    profile: { type: 'boolean', default: false },
  },
});


async function child(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'roost-bench-post-'));
  let dbUrl = join(dir, 'roost.db');
  let after: (() => Promise<void>) | undefined;
  if (flags.store === 'postgres') {
    const { startPostgres } = await import('@roost/dev-env');
    const pg = await startPostgres();
    dbUrl = pg.url;
    after = () => pg.stop();
  }
  const world = { users: Number(process.env.BENCH_USERS ?? 1000), posts: Number(process.env.BENCH_POSTS ?? 20000) };
  await serveBenchWorld({ dir, dbUrl, world, after });
}

interface Measured {
  result: Result;
  p50: number;
  p99: number;
}

let counter = 0;
let ruleCount = 1;
/**
 * Distinct texts with hashtags, a mention, a URL and the word of one stream rule, so text processing, entity
 * storage and rule matching are in the cost.
 */
const nextBody = () => {
  const n = ++counter;
  return JSON.stringify({ text: `bench post ${n} k${n % ruleCount} by @XDevelopers #roost https://example.com/p/${n}` });
};
const SEQ = /bench post (\d+) /;

/** When each post's 201 reached the client (by sequence number), while `returns` is set. */
let returns: Map<number, number> | null = null;

async function load(url: string, headers: Record<string, string>, connections: number, seconds: number): Promise<Measured> {
  const times: number[] = [];
  const onResponse = (status: number, body: string) => {
    if (status !== 201 || !returns) return;
    const m = SEQ.exec(body);
    if (m) returns.set(Number(m[1]), performance.now());
  };
  const opts = {
    url,
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    connections,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
    requests: [{ method: 'POST', setupRequest: (req: Record<string, unknown>) => ({ ...req, body: nextBody() }), onResponse }],
  };
  const run = autocannon(opts as unknown as Options);
  run.on('response', (_c: unknown, _s: number, _b: number, ms: number) => times.push(ms));
  const result = await run;
  return { result, p50: pct(times, 0.5), p99: pct(times, 0.99) };
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

async function call(url: string, token: string, method: string, body?: unknown): Promise<{ status: number; text: string }> {
  const r = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, text: await r.text() };
}

/** The filtered-stream client: when each post arrived (by sequence number), and whether it is still connected. */
interface StreamClient {
  arrived: Map<number, number>;
  ended: () => string | null;
  close(): void;
}

async function openStream(url: string, bearer: string, rules: number): Promise<StreamClient> {
  for (let i = 0; i < rules; i += 100) {
    const add = Array.from({ length: Math.min(100, rules - i) }, (_, k) => ({ value: `k${i + k}`, tag: `r${i + k}` }));
    const r = await call(`${url}/2/tweets/search/stream/rules`, bearer, 'POST', { add });
    if (r.status !== 201 && r.status !== 200) throw new Error(`adding rules: ${r.status} ${r.text.slice(0, 300)}`);
  }
  const arrived = new Map<number, number>();
  let ended: string | null = null;
  const res = await openFilteredStream(url, bearer, (line, now) => {
    const m = SEQ.exec(line);
    if (m) arrived.set(Number(m[1]), now);
    else if (line.startsWith('{"errors"')) ended = line;
  });
  res.on('end', () => (ended ??= 'the stream ended'));
  res.on('error', (e) => (ended ??= `the stream failed: ${e.message}`));
  return { arrived, ended: () => ended, close: () => res.destroy() };
}

async function main(): Promise<number> {
  const duration = positive('duration', flags.duration);
  const warmup = positive('warmup', flags.warmup);
  const connections = positive('connections', flags.connections, 1024);
  const rules = Number(flags.rules);
  if (!Number.isInteger(rules) || rules < 0 || rules > 1000) throw new Error(`--rules must be an integer in [0, 1000], got ${flags.rules}`);
  if (flags.store !== 'sqlite' && flags.store !== 'postgres') throw new Error(`--store must be sqlite or postgres, got ${flags.store}`);
  ruleCount = Math.max(1, rules);
  const work = mkdtempSync(join(tmpdir(), 'roost-bench-post-run-'));
  const children: ServerProcess[] = [];
  let stream: StreamClient | undefined;
  try {
    log(`starting Roost on ${flags.store} (seeding a fresh demo world)…`);
    const roost = ServerProcess.spawn('roost-post-server', './post-create.ts', ['--child', '--store', flags.store]);
    children.push(roost);
    const hs = await roost.handshake<{ url: string; token: string; bearer: string }>(300_000);
    const auth = { authorization: `Bearer ${hs.token}` };
    const probe = await call(`${hs.url}/2/tweets`, hs.token, 'POST', JSON.parse(nextBody()));
    if (probe.status !== 201) throw new Error(`probe: expected 201, got ${probe.status}: ${probe.text.slice(0, 300)}`);
    const bodyFile = join(work, 'body.json');
    writeFileSync(bodyFile, probe.text);
    const baseline = ServerProcess.spawn('baseline-server', './baseline-server.ts', [bodyFile]);
    children.push(baseline);
    const base = await baseline.handshake<{ url: string }>(30_000);

    log(`baseline: warm-up ${warmup} s, then ${duration} s, ${connections} connections`);
    assertAllOk('baseline (warm-up)', (await load(`${base.url}/`, auth, connections, warmup)).result, '200');
    const rb = await load(`${base.url}/`, auth, connections, duration);
    assertAllOk('baseline', rb.result, '200');
    await baseline.stop();

    if (rules) {
      log(`stream: ${rules} rules, connecting`);
      stream = await openStream(hs.url, hs.bearer, rules);
    }
    log(`POST /2/tweets: warm-up ${warmup} s, then ${duration} s`);
    assertAllOk('POST /2/tweets (warm-up)', (await load(`${hs.url}/2/tweets`, auth, connections, warmup)).result, '201');
    const timed = new Map<number, number>();
    returns = timed;
    const rp = await load(`${hs.url}/2/tweets`, auth, connections, duration);
    returns = null;
    assertAllOk('POST /2/tweets', rp.result, '201');

    const rows = [
      `${'benchmark'.padEnd(36)}  ${'req/s'.padStart(7)}  ${'p50 ms'.padStart(7)}  ${'p99 ms'.padStart(7)}  ${'vs baseline'.padStart(11)}`,
      row('baseline node:http fixed JSON', rb, '1.00 (ref)'),
      row(`POST /2/tweets (${flags.store === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${connections} conns)`, rp, (rp.result.requests.average / rb.result.requests.average).toFixed(2)),
    ];
    if (stream) {
      // Posts returned late in the run may still be on their way: give them up to 10 s.
      const deadline = Date.now() + 10_000;
      const missing = () => [...timed.keys()].filter((n) => !stream!.arrived.has(n));
      while (missing().length && Date.now() < deadline && !stream.ended()) await new Promise((r) => setTimeout(r, 20));
      if (stream.ended()) throw new Error(`the filtered stream did not stay connected: ${stream.ended()}`);
      const lost = missing();
      if (lost.length) throw new Error(`${lost.length} of ${timed.size} acknowledged posts never arrived on the stream (first: ${lost[0]})`);
      const lat = [...timed].map(([n, at]) => Math.max(0, stream!.arrived.get(n)! - at)).sort((a, b) => a - b);
      const p99 = pct(lat, 0.99);
      rows.push(
        '',
        `filtered stream, ${rules} rules: ${timed.size} of ${timed.size} posts delivered, connected throughout; 201 → delivery p50 ${pct(lat, 0.5).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (target < 50: ${p99 < 50 ? 'PASS' : 'MISS'})`,
      );
    }
    process.stdout.write(`\n${rows.join('\n')}\n`);

    if (flags.profile) {
      const dir = fileURLToPath(new URL('./.profiles/', import.meta.url));
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `post-create-${flags.store}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
      log(`profiling POST /2/tweets for ${duration} s (figures under the profiler are not comparable, so not tabled)`);
      if ((await roost.command('profile start')) !== 'ok') throw new Error('profile start failed');
      const profiled = await load(`${hs.url}/2/tweets`, auth, connections, duration);
      if ((await roost.command(`profile stop ${file}`)) !== 'ok') throw new Error('profile stop failed');
      assertAllOk('POST /2/tweets (profiled)', profiled.result, '201');
      process.stdout.write(`\nCPU profile of Roost: ${file}\n\n${formatStages(stages(file), profiled.result.requests.total)}\n\n${formatSummary(summarize(file))}\n`);
    }
    return 0;
  } finally {
    stream?.close();
    await Promise.all(children.map((c) => c.stop()));
    rmSync(work, { recursive: true, force: true });
  }
}

const row = (name: string, m: Measured, r: string) =>
  `${name.padEnd(36)}  ${m.result.requests.average.toFixed(0).padStart(7)}  ${m.p50.toFixed(2).padStart(7)}  ${m.p99.toFixed(2).padStart(7)}  ${r.padStart(11)}`;

benchEntry('post-create', !!flags.child, child, main);
