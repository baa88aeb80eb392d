/**
 * `npm run bench`: Roost's request throughput against a bare node:http baseline measured in the same run.
 *
 * Roost and the baseline each run in their own child process; autocannon drives them from this process over
 * loopback. Every measurement is a warm-up followed by a timed run, and every response must be a 2xx: any
 * non-2xx, socket error or timeout fails the run (exit 1) rather than flattering the figures.
 *
 * Flags: --duration <s> per round (4)  --rounds <n> (3)  --warmup <s> (2)  --connections <n> (12)
 *
 * The machine's speed drifts (other tenants, CPU frequency), so the baseline and the Roost targets are
 * measured in interleaved rounds and each ratio is the median of its per-round ratios.
 *        --profile  after the table, repeat (b) under the V8 CPU profiler and print the hot spots
 *        --strict   exit 1 when (b) misses its target, too
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon, { type Result } from 'autocannon';
import { positive } from './bench-kit.js';
import { ServerProcess } from './children.js';
import { formatSummary, summarize } from './profile-summary.js';

/** (b) must reach this fraction of the baseline's requests/s. */
const TARGET_B = 0.35;
const SEED_TIMEOUT_MS = 300_000;

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '12' },
    profile: { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
  },
});
const duration = positive('duration', flags.duration);
const rounds = positive('rounds', flags.rounds);
const warmup = positive('warmup', flags.warmup);
const connections = positive('connections', flags.connections);

class BenchFailure extends Error {}

interface RoostHandshake {
  url: string;
  token: string;
  postId: string;
}

interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
}

/** autocannon's histograms hold whole milliseconds; this keeps each response's time as measured (hrtime). */
interface Measured {
  result: Result;
  p50: number;
  p99: number;
}

interface Row {
  name: string;
  m: Measured;
  bytes: number;
  ratio?: number;
  target?: number;
}

function log(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

function assertAllOk(label: string, r: Result): void {
  const ok = r['2xx'];
  const problems: string[] = [];
  if (r.non2xx) problems.push(`${r.non2xx} non-2xx responses (${JSON.stringify(r.statusCodeStats)})`);
  if (r.errors) problems.push(`${r.errors} errors`);
  if (r.timeouts) problems.push(`${r.timeouts} timeouts`);
  if (r.mismatches) problems.push(`${r.mismatches} mismatches`);
  if (!ok) problems.push('no 2xx response at all');
  if (problems.length) throw new BenchFailure(`${label}: ${problems.join(', ')}`);
}

async function load(t: Target, seconds: number): Promise<Measured> {
  let times = new Float64Array(1 << 16);
  let n = 0;
  const run = autocannon({ url: t.url, headers: t.headers, connections, pipelining: 1, duration: seconds, timeout: 10 });
  run.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
    if (n === times.length) {
      const grown = new Float64Array(times.length * 2);
      grown.set(times);
      times = grown;
    }
    times[n++] = ms;
  });
  const result = await run;
  const sorted = times.subarray(0, n).sort();
  const at = (q: number) => (n ? sorted[Math.min(n - 1, Math.floor(q * n))]! : NaN);
  return { result, p50: at(0.5), p99: at(0.99) };
}

async function measure(t: Target, around?: { before(): Promise<void>; after(): Promise<void> }): Promise<Measured> {
  log(`  ${t.name}: warm-up ${warmup} s, then ${duration} s`);
  assertAllOk(`${t.name} (warm-up)`, (await load(t, warmup)).result);
  await around?.before();
  const m = await load(t, duration);
  await around?.after();
  assertAllOk(t.name, m.result);
  return m;
}

/** One request outside the load run: proves the target answers 200 with the expected shape. */
async function probe(t: Target, check: (body: any) => string | null): Promise<string> {
  const res = await fetch(t.url, { headers: t.headers });
  const text = await res.text();
  if (res.status !== 200) throw new BenchFailure(`${t.name}: probe got ${res.status}: ${text.slice(0, 500)}`);
  const problem = check(JSON.parse(text));
  if (problem) throw new BenchFailure(`${t.name}: ${problem}: ${text.slice(0, 500)}`);
  return text;
}

function table(rows: Row[]): string {
  const head = ['benchmark', 'req/s', 'p50 ms', 'p99 ms', 'body B', 'vs baseline', 'target'];
  const body = rows.map((r) => [
    r.name,
    r.m.result.requests.average.toFixed(0),
    r.m.p50.toFixed(2),
    r.m.p99.toFixed(2),
    String(r.bytes),
    r.ratio === undefined ? '1.00 (ref)' : r.ratio.toFixed(2),
    r.target === undefined ? '' : `>= ${r.target.toFixed(2)} ${r.ratio! >= r.target ? 'PASS' : 'MISS'}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

async function main(): Promise<number> {
  const work = mkdtempSync(join(tmpdir(), 'roost-bench-run-'));
  const children: ServerProcess[] = [];
  const stopAll = () => Promise.all(children.map((c) => c.stop()));
  const onSignal = () => void stopAll().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    log('starting Roost (seeding a fresh demo world)…');
    const t0 = Date.now();
    const roost = ServerProcess.spawn('roost-server', './roost-server.ts');
    children.push(roost);
    const hs = await roost.handshake<RoostHandshake>(SEED_TIMEOUT_MS);
    log(`  ready in ${((Date.now() - t0) / 1000).toFixed(1)} s at ${hs.url}, post ${hs.postId}`);

    const auth = { authorization: `Bearer ${hs.token}` };
    const a: Target = {
      name: '(a) GET /2/users/by/username',
      url: `${hs.url}/2/users/by/username/xdevelopers?user.fields=created_at,description,public_metrics`,
      headers: auth,
    };
    const b: Target = {
      name: '(b) GET /2/tweets/:id +2 expansions',
      url: `${hs.url}/2/tweets/${hs.postId}?expansions=author_id,referenced_tweets.id&tweet.fields=created_at,public_metrics`,
      headers: auth,
    };
    const bodyA = await probe(a, (j) => (j?.data?.username === 'XDevelopers' ? null : 'expected data.username XDevelopers'));
    const bodyB = await probe(b, (j) => {
      if (j?.data?.id !== hs.postId) return `expected data.id ${hs.postId}`;
      if (!j.includes?.users?.length) return 'expected includes.users (author_id expansion)';
      if (!j.includes?.tweets?.length) return 'expected includes.tweets (referenced_tweets.id expansion)';
      if (j.errors?.length) return 'expected no partial errors';
      return null;
    });

    // The baseline serves (b)'s exact body, so both sides write the same bytes per response.
    const bodyFile = join(work, 'body.json');
    writeFileSync(bodyFile, bodyB);
    const baseline = ServerProcess.spawn('baseline-server', './baseline-server.ts', [bodyFile]);
    children.push(baseline);
    const base = await baseline.handshake<{ url: string }>(30_000);
    const c: Target = { name: 'baseline node:http fixed JSON', url: `${base.url}/`, headers: auth };

    log(`measuring (${connections} connections, pipelining 1, ${rounds} interleaved rounds):`);
    const runs: { c: Measured; a: Measured; b: Measured }[] = [];
    for (let i = 0; i < rounds; i++) {
      log(` round ${i + 1}/${rounds}`);
      runs.push({ c: await measure(c), a: await measure(a), b: await measure(b) });
    }
    await baseline.stop();
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const rps = (m: Measured) => m.result.requests.average;
    // The tabled measurement of each target is its median round; ratios are medians of per-round ratios.
    const pick = (k: 'a' | 'b' | 'c') => {
      const sorted = [...runs].sort((x, y) => rps(x[k]) - rps(y[k]));
      return sorted[Math.floor(sorted.length / 2)]![k];
    };
    const rc = pick('c');
    const ra = pick('a');
    const rb = pick('b');
    const ratioA = median(runs.map((r) => rps(r.a) / rps(r.c)));
    const ratioB = median(runs.map((r) => rps(r.b) / rps(r.c)));
    log(`  per-round (b) ratios: ${runs.map((r) => (rps(r.b) / rps(r.c)).toFixed(2)).join(', ')}`);
    const rows: Row[] = [
      { name: c.name, m: rc, bytes: Buffer.byteLength(bodyB) },
      { name: a.name, m: ra, bytes: Buffer.byteLength(bodyA), ratio: ratioA },
      { name: b.name, m: rb, bytes: Buffer.byteLength(bodyB), ratio: ratioB, target: TARGET_B },
    ];
    process.stdout.write(`\n${table(rows)}\n`);
    const pass = rows[2]!.ratio! >= TARGET_B;
    process.stdout.write(`\n(b) is ${pass ? 'PASS' : 'MISS'}: ${rows[2]!.ratio!.toFixed(2)} of the baseline, target ${TARGET_B}\n`);

    if (flags.profile) {
      const dir = fileURLToPath(new URL('./.profiles/', import.meta.url));
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `post-lookup-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`);
      log('profiling (b) (figures under the profiler are not comparable, so not tabled):');
      const expectOk = async (cmd: string) => {
        const answer = await roost.command(cmd);
        if (answer !== 'ok') throw new Error(`roost-server: ${cmd}: ${answer}`);
      };
      await measure(b, { before: () => expectOk('profile start'), after: () => expectOk(`profile stop ${file}`) });
      process.stdout.write(`\nCPU profile of Roost during (b): ${file}\n\n${formatSummary(summarize(file))}\n`);
    }
    return pass || !flags.strict ? 0 : 1;
  } finally {
    await stopAll();
    rmSync(work, { recursive: true, force: true });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof BenchFailure) log(`\nBENCH FAILED: ${err.message}`);
    else log(`\nbench crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  },
);
