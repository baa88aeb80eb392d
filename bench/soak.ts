/**
 * `npm run soak` (2 minutes) and `npm run soak:hour` (1 hour): Roost under a steady mixed load with held streams,
 * watched window by window for what a long run would reveal — memory that only grows, an event loop that slows,
 * latency that creeps.
 *
 * Roost runs in its own process (seeded demo world, SQLite, limits and metering off). This process holds a
 * filtered stream (rules matching what the load posts), a 10 % sample and a firehose partition, and drives a
 * fixed-concurrency mix: post lookups with expansions (35 %), user timelines (20 %), recent search (10 %), new
 * posts (25 %) and like/unlike (10 %). Every window it asks Roost for its RSS, heap and event-loop delay, and
 * records the window's request count, errors, p50 and p99.
 *
 * Writes bench/results/soak-<stamp>.csv and .png (RSS, event-loop delay p99 and request p99 over time, drawn
 * with Vega-Lite and rasterized by resvg) and prints whether RSS and p99 stayed flat: the last quarter's median
 * against the second quarter's (the first quarter is warm-up).
 *
 * Flags: --minutes <m> (2)  --window <s> (5)  --concurrency <n> (8)  --strict (exit 1 when not flat)
 */
import http from 'node:http';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { jsonCall, log, pct } from './bench-kit.js';
import { profilerCommand, ServerProcess, serveUntilParentCloses } from './children.js';

const { values: flags } = parseArgs({
  options: {
    child: { type: 'boolean', default: false },
    minutes: { type: 'string', default: '2' },
    window: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '8' },
    strict: { type: 'boolean', default: false },
  },
});


interface Handshake {
  url: string;
  bearer: string;
  user: string;
  userId: string;
  postIds: string[];
  userIds: string[];
}

interface Stats {
  rssMb: number;
  heapMb: number;
  loopP50Ms: number;
  loopP99Ms: number;
  loopMaxMs: number;
}

/** The Roost side: the server, plus a `stats` command that reports memory and event-loop delay since the last call. */
async function child(): Promise<void> {
  const { buildConfig, mintUserToken, startServer, XDEVELOPERS_ID } = await import('@roost/server');
  const dir = mkdtempSync(join(tmpdir(), 'roost-soak-'));
  const config = buildConfig(
    { ROOST_PORT: '0', ROOST_LOG_LEVEL: 'silent', ROOST_RATE_LIMITS: 'off', ROOST_METERING: 'off' },
    { dbUrl: join(dir, 'roost.db'), seed: 1, world: { users: 1000, posts: 20000 }, logLevel: 'silent' },
  );
  const handle = await startServer(config);
  const user = await mintUserToken(handle.ctx, { appId: handle.boot.appId, userId: XDEVELOPERS_ID });
  const get = async (path: string) => (await fetch(handle.url + path, { headers: { authorization: `Bearer ${handle.boot.bearerToken}` } })).json() as Promise<any>;
  const following = (await get(`/2/users/${XDEVELOPERS_ID}/following?max_results=100&user.fields=protected`)).data as any[];
  const userIds = following.filter((u) => !u.protected).map((u) => String(u.id));
  const postIds: string[] = [];
  for (const id of userIds.slice(0, 40)) for (const p of (await get(`/2/users/${id}/tweets?max_results=10`)).data ?? []) postIds.push(p.id);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const commands = async (line: string): Promise<string> => {
    if (line.trim() !== 'stats') return profilerCommand(line);
    const m = process.memoryUsage();
    const s: Stats = {
      rssMb: m.rss / 2 ** 20,
      heapMb: m.heapUsed / 2 ** 20,
      loopP50Ms: delay.percentile(50) / 1e6,
      loopP99Ms: delay.percentile(99) / 1e6,
      loopMaxMs: delay.max / 1e6,
    };
    delay.reset();
    return JSON.stringify(s);
  };
  serveUntilParentCloses(handle, { url: handle.url, bearer: handle.boot.bearerToken, user, userId: XDEVELOPERS_ID, postIds, userIds } satisfies Handshake, dir, commands);
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

const call = (base: string, method: string, path: string, token: string, body?: unknown) => jsonCall(agent, `${base}${path}`, method, token, body, 30_000);

/** A held stream: counts the posts it delivers until the run ends. */
function hold(base: string, path: string, token: string, counter: { n: number }): http.ClientRequest {
  const req = http.get(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
    if (res.statusCode !== 200) throw new Error(`stream ${path} answered ${res.statusCode}`);
    res.setEncoding('utf8');
    res.on('data', (c: string) => {
      for (const line of c.split('\r\n')) if (line.startsWith('{')) counter.n++;
    });
  });
  req.on('error', () => undefined);
  return req;
}

const median = (xs: number[]) => pct(xs, 0.5);

interface Row {
  window: number;
  elapsedMin: number;
  rssMb: number;
  heapMb: number;
  loopP99Ms: number;
  loopMaxMs: number;
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  streamed: number;
}

async function plot(rows: Row[], path: string, title: string): Promise<void> {
  const vega = await import('vega');
  const vl = await import('vega-lite');
  const { Resvg } = await import('@resvg/resvg-js');
  const panel = (field: keyof Row, label: string, color: string) => ({
    width: 720,
    height: 160,
    mark: { type: 'line', point: rows.length <= 60, color },
    encoding: {
      x: { field: 'elapsedMin', type: 'quantitative', title: 'minutes' },
      y: { field, type: 'quantitative', title: label, scale: { zero: true } },
    },
  });
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values: rows },
    vconcat: [panel('rssMb', 'RSS (MB)', '#1d9bf0'), panel('loopP99Ms', 'event-loop delay p99 (ms)', '#f4212e'), panel('p99Ms', 'request p99 (ms)', '#00ba7c')],
    config: { background: 'white', font: 'sans-serif' },
  };
  const compiled = vl.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, { fitTo: { mode: 'width', value: 1600 }, font: { loadSystemFonts: true } }).render().asPng();
  writeFileSync(path, png);
}

async function main(): Promise<number> {
  const minutes = Number(flags.minutes);
  const windowS = Number(flags.window);
  const concurrency = Number(flags.concurrency);
  if (!(minutes > 0 && minutes <= 180) || !(windowS >= 1 && windowS <= 300) || !(concurrency >= 1 && concurrency <= 64)) {
    throw new Error('--minutes in (0, 180], --window in [1, 300], --concurrency in [1, 64]');
  }
  const roost = ServerProcess.spawn('roost-soak-server', './soak.ts', ['--child']);
  const held: http.ClientRequest[] = [];
  try {
    log('starting Roost (seeding the demo world)…');
    const h = await roost.handshake<Handshake>(300_000);
    const streamed = { n: 0 };
    await call(h.url, 'POST', '/2/tweets/search/stream/rules', h.bearer, { add: [{ value: 'soak', tag: 'soak' }, { value: 'roost has:mentions' }] });
    held.push(hold(h.url, '/2/tweets/search/stream?tweet.fields=author_id', h.bearer, streamed));
    held.push(hold(h.url, '/2/tweets/sample10/stream?partition=1', h.bearer, streamed));
    held.push(hold(h.url, '/2/tweets/firehose/stream?partition=1', h.bearer, streamed));

    const end = Date.now() + minutes * 60_000;
    let latencies: number[] = [];
    let errors = 0;
    let seq = 0;
    const liked = new Set<string>();
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)]!;
    const one = async () => {
      const r = Math.random();
      const t0 = performance.now();
      let res: { status: number };
      if (r < 0.35) res = await call(h.url, 'GET', `/2/tweets/${pick(h.postIds)}?expansions=author_id,referenced_tweets.id&tweet.fields=created_at,public_metrics`, h.bearer);
      else if (r < 0.55) res = await call(h.url, 'GET', `/2/users/${pick(h.userIds)}/tweets?max_results=20`, h.bearer);
      else if (r < 0.65) res = await call(h.url, 'GET', `/2/tweets/search/recent?query=${encodeURIComponent(pick(['roost', 'soak', 'api -is:retweet', 'developers']))}`, h.bearer);
      else if (r < 0.9) res = await call(h.url, 'POST', '/2/tweets', h.user, { text: `soak ${++seq} roost @XDevelopers ${Date.now()}` });
      else {
        const post = pick(h.postIds);
        const un = liked.has(post);
        res = un ? await call(h.url, 'DELETE', `/2/users/${h.userId}/likes/${post}`, h.user) : await call(h.url, 'POST', `/2/users/${h.userId}/likes`, h.user, { tweet_id: post });
        if (res.status === 200) (un ? liked.delete(post) : liked.add(post));
      }
      latencies.push(performance.now() - t0);
      if (res.status >= 500 || res.status === 0) errors++;
    };
    const worker = async () => {
      while (Date.now() < end) {
        try {
          await one();
        } catch {
          errors++;
        }
      }
    };
    const rows: Row[] = [];
    const started = Date.now();
    let lastStreamed = 0;
    const sampler = (async () => {
      for (let w = 1; Date.now() < end; w++) {
        await new Promise((r) => setTimeout(r, Math.min(windowS * 1000, Math.max(0, end - Date.now()))));
        const s = JSON.parse(await roost.command('stats')) as Stats;
        const lat = latencies;
        latencies = [];
        const row: Row = {
          window: w,
          elapsedMin: (Date.now() - started) / 60_000,
          rssMb: s.rssMb,
          heapMb: s.heapMb,
          loopP99Ms: s.loopP99Ms,
          loopMaxMs: s.loopMaxMs,
          requests: lat.length,
          errors,
          p50Ms: median(lat),
          p99Ms: pct(lat, 0.99),
          streamed: streamed.n - lastStreamed,
        };
        lastStreamed = streamed.n;
        errors = 0;
        rows.push(row);
        log(`${row.elapsedMin.toFixed(2)} min  rss ${row.rssMb.toFixed(0)} MB  heap ${row.heapMb.toFixed(0)} MB  loop p99 ${row.loopP99Ms.toFixed(1)} ms  ${row.requests} req  p99 ${row.p99Ms.toFixed(1)} ms  errors ${row.errors}  streamed ${row.streamed}`);
      }
    })();
    await Promise.all([...Array.from({ length: concurrency }, worker), sampler]);

    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const dir = join(import.meta.dirname, 'results');
    mkdirSync(dir, { recursive: true });
    const csv = join(dir, `soak-${stamp}.csv`);
    const cols: (keyof Row)[] = ['window', 'elapsedMin', 'rssMb', 'heapMb', 'loopP99Ms', 'loopMaxMs', 'requests', 'errors', 'p50Ms', 'p99Ms', 'streamed'];
    writeFileSync(csv, [cols.join(','), ...rows.map((r) => cols.map((c) => (Number.isInteger(r[c]) ? r[c] : r[c].toFixed(3))).join(','))].join('\n') + '\n');
    const png = csv.replace(/\.csv$/, '.png');
    await plot(rows, png, `Roost soak: ${minutes} min, ${concurrency} clients, 3 held streams (load ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`);

    // Flat: the last quarter against the second (the first quarter warms up caches and the JIT).
    const q = Math.max(1, Math.floor(rows.length / 4));
    const early = rows.slice(q, 2 * q);
    const late = rows.slice(rows.length - q);
    const rssGrowth = median(late.map((r) => r.rssMb)) / median(early.map((r) => r.rssMb));
    const p99Growth = median(late.map((r) => r.p99Ms)) / median(early.map((r) => r.p99Ms));
    const totalErrors = rows.reduce((n, r) => n + r.errors, 0);
    const flat = rssGrowth < 1.25 && p99Growth < 2 && totalErrors === 0;
    console.log(`soak: ${rows.length} windows of ${windowS} s, ${rows.reduce((n, r) => n + r.requests, 0)} requests, ${totalErrors} errors, ${streamed.n} streamed posts`);
    console.log(`RSS ${rows[0]?.rssMb.toFixed(0)} → ${rows.at(-1)?.rssMb.toFixed(0)} MB (late/early median ${rssGrowth.toFixed(2)}); p99 ${rows[0]?.p99Ms.toFixed(1)} → ${rows.at(-1)?.p99Ms.toFixed(1)} ms (late/early median ${p99Growth.toFixed(2)})`);
    console.log(`${flat ? 'flat' : 'NOT flat'}; CSV ${csv}; plot ${png}`);
    return flat || !flags.strict ? 0 : 1;
  } finally {
    for (const r of held) r.destroy();
    agent.destroy();
    await roost.stop();
  }
}

if (flags.child) await child();
else process.exitCode = await main();
