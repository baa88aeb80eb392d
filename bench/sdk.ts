/**
 * `npm run bench:sdk`: the SDK against raw `fetch`, raw `node:http`, the official `@xdevplatform/xdk` 0.6.6 and
 * `twitter-api-v2` 1.29.1, all in this process, against one server in a child process (bench/sdk-server.ts):
 *
 * 1. client CPU per user lookup (process.cpuUsage over N sequential lookups, interleaved rounds, median);
 * 2. stream parsing: events per client CPU-second over STREAM_EVENTS `\r\n`-delimited posts, plus how many arrived
 *    and intact — once with one HTTP chunk per post (as X and Roost write streams; the target row) and once with
 *    64 KiB chunks; every client is run --warmups times before --stream-rounds measured rounds (interleaved, medians);
 * 3. paginating FOLLOWERS followers: heap held after the walk (needs --expose-gc, set by the npm script).
 *
 * Ratios are against the baselines measured in the same run. Flags: --requests <n> (600) --rounds <n> (15: many short rounds, so a burst of noise on the shared machine moves few of a client's samples)
 * --stream-rounds <n> (5) --warmups <n> (2) --only cpu|streams|pagination  --strict (exit 1 when a target of
 * issue 7 is missed).
 */
import http from 'node:http';
import { parseArgs } from 'node:util';
import { Client as XdkClient, UserPaginator as XdkUserPaginator } from '@xdevplatform/xdk';
import { TwitterApi } from 'twitter-api-v2';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Client as ClientType } from '../packages/sdk/src/index.js';
import { buildSdk } from '../packages/sdk/scripts/build.js';
import { ServerProcess } from './children.js';
import { streamText } from './sdk-fixtures.js';

const { values: flags } = parseArgs({
  options: {
    requests: { type: 'string', default: '600' },
    rounds: { type: 'string', default: '15' },
    'stream-rounds': { type: 'string', default: '5' },
    warmups: { type: 'string', default: '2' },
    strict: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const run = (part: 'cpu' | 'streams' | 'pagination') => !flags.only || flags.only === part;
const N = Number(flags.requests);
const ROUNDS = Number(flags.rounds);
const STREAM_ROUNDS = Number(flags['stream-rounds']);
const WARMUPS = Number(flags.warmups);
/** Bound of one client's read of the whole stream (a hung client fails the run instead of stalling it). */
const STREAM_RUN_MS = 120_000;
const STREAM_EVENTS = 200_000;
const FOLLOWERS = 100_000;
const TOKEN = 'AAAA-bench-token';
const log = (m: string) => process.stderr.write(`${m}\n`);

// @roost/sdk as it ships (the package's ESM build), like the other clients' published JavaScript: running its
// TypeScript sources through the tsx loader would add the loader's transforms (e.g. a __name() call per closure).
const built = mkdtempSync(join(import.meta.dirname, '.sdk-build-'));
process.on('exit', () => rmSync(built, { recursive: true, force: true }));
await buildSdk(built, false);
const { Client } = (await import(pathToFileURL(join(built, 'esm', 'index.js')).href)) as { Client: typeof ClientType };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

type Lookup = () => Promise<string>;

function lookups(base: string): Record<string, Lookup> {
  const path = '/2/users/by/username/XDevelopers?user.fields=created_at,description,public_metrics';
  const agent = new http.Agent({ keepAlive: true });
  const ours = new Client({ baseUrl: base, bearerToken: TOKEN });
  const oursFetch = new Client({ baseUrl: base, bearerToken: TOKEN, transport: 'fetch' });
  const xdk = new XdkClient({ baseUrl: base, bearerToken: TOKEN });
  const tav2 = new TwitterApi(TOKEN, { httpAgent: agent } as any);
  (tav2.v2 as any).setPrefix(`${base}/2/`);
  const fields = ['created_at', 'description', 'public_metrics'] as const;
  return {
    'raw fetch': async () => {
      const r = await fetch(base + path, { headers: { authorization: `Bearer ${TOKEN}` } });
      return ((await r.json()) as any).data.username;
    },
    'node:http': () =>
      new Promise((resolve, reject) => {
        http.get(base + path, { agent, headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
          const parts: Buffer[] = [];
          res.on('data', (c) => parts.push(c));
          res.on('end', () => resolve(JSON.parse(Buffer.concat(parts).toString('utf8')).data.username));
        }).on('error', reject);
      }),
    'official xdk 0.6.6': async () => ((await xdk.users.getByUsername('XDevelopers', { userFields: [...fields] as any })) as any).data.username,
    'twitter-api-v2 1.29.1': async () => (await tav2.v2.userByUsername('XDevelopers', { 'user.fields': [...fields] })).data.username,
    '@roost/sdk (node:http)': async () => (await ours.users.getByUsername('XDevelopers', { userFields: [...fields] })).data!.username!,
    '@roost/sdk (fetch)': async () => (await oursFetch.users.getByUsername('XDevelopers', { userFields: [...fields] })).data!.username!,
  };
}

async function cpuPerRequest(fn: Lookup, n: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    if ((await fn()) !== 'XDevelopers') throw new Error('bad answer');
  }
  const d = process.cpuUsage(start);
  return (d.user + d.system) / n;
}

async function benchCpu(base: string): Promise<Record<string, number>> {
  const fns = lookups(base);
  for (const fn of Object.values(fns)) await cpuPerRequest(fn, 300); // warm-up
  const samples: Record<string, number[]> = {};
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, fn] of Object.entries(fns)) (samples[name] ??= []).push(await cpuPerRequest(fn, N));
  }
  return Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
}

// ---------- streams ----------

interface StreamResult {
  eventsPerSec: number;
  /** Events per second of this process's CPU time (parsing cost, independent of the server and the wire). */
  eventsPerCpuSec: number;
  received: number;
  corrupted: number;
}

function checker() {
  let received = 0;
  let corrupted = 0;
  return {
    see(ev: any) {
      const id = Number(ev.data.id.slice(-7)); // ids are 1800000000000000000 + i
      if (ev.data.text !== streamText(id)) corrupted++;
      received++;
    },
    result(ms: number, cpuMs: number): StreamResult {
      return { eventsPerSec: (received / ms) * 1000, eventsPerCpuSec: (received / cpuMs) * 1000, received, corrupted };
    },
  };
}

async function timed(run: (see: (ev: any) => void) => Promise<void>): Promise<StreamResult> {
  const c = checker();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let watchdog: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    run((ev) => c.see(ev)),
    new Promise((_, reject) => (watchdog = setTimeout(() => reject(new Error(`a stream read took over ${STREAM_RUN_MS} ms`)), STREAM_RUN_MS))),
  ]).finally(() => clearTimeout(watchdog));
  const cpu = process.cpuUsage(cpu0);
  return c.result(performance.now() - t0, (cpu.user + cpu.system) / 1000);
}

function streams(base: string): Record<string, () => Promise<StreamResult>> {
  const url = `${base}/2/tweets/search/stream`;
  const split = (see: (ev: any) => void) => {
    let buf = '';
    return (text: string) => {
      buf += text;
      let start = 0;
      let nl: number;
      while ((nl = buf.indexOf('\n', start)) !== -1) {
        const line = buf.slice(start, nl).trim();
        if (line) see(JSON.parse(line));
        start = nl + 1;
      }
      buf = buf.slice(start);
    };
  };
  return {
    'raw fetch': () =>
      timed(async (see) => {
        const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
        const dec = new TextDecoder();
        const feed = split(see);
        const reader = res.body!.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          feed(dec.decode(value, { stream: true }));
        }
      }),
    'node:http': () =>
      timed(
        (see) =>
          new Promise((resolve, reject) => {
            http.get(url, { headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
              res.setEncoding('utf8');
              const feed = split(see);
              res.on('data', feed);
              res.on('end', resolve);
            }).on('error', reject);
          }),
      ),
    'official xdk 0.6.6 (on data)': () =>
      timed(async (see) => {
        const s: any = await new XdkClient({ baseUrl: base, bearerToken: TOKEN }).stream.posts({});
        await new Promise<void>((resolve) => {
          s.on('data', (ev: any) => ev?.data?.id && see(ev));
          s.on('close', () => resolve());
        });
      }),
    'official xdk 0.6.6 (for await)': () =>
      timed(async (see) => {
        const s: any = await new XdkClient({ baseUrl: base, bearerToken: TOKEN }).stream.posts({});
        for await (const ev of s) if (ev?.data?.id) see(ev);
      }),
    'twitter-api-v2 1.29.1': () =>
      timed(async (see) => {
        const t = new TwitterApi(TOKEN, { httpAgent: new http.Agent() } as any);
        (t.v2 as any).setPrefix(`${base}/2/`);
        const s = await t.v2.searchStream({ autoConnect: true });
        s.autoReconnect = false;
        await new Promise<void>((resolve) => {
          s.on('data event content' as any, (ev: any) => see(ev));
          s.on('connection closed' as any, () => resolve());
        });
      }),
    '@roost/sdk (on data)': () =>
      timed(async (see) => {
        const s = await new Client({ baseUrl: base, bearerToken: TOKEN }).stream.posts({ reconnect: { enabled: false } });
        await new Promise<void>((resolve) => {
          s.on('close', () => resolve());
          s.on('data', see);
        });
      }),
    '@roost/sdk (for await)': () =>
      timed(async (see) => {
        const s = await new Client({ baseUrl: base, bearerToken: TOKEN }).stream.posts({ reconnect: { enabled: false } });
        for await (const ev of s) see(ev);
      }),
    '@roost/sdk (fetch, for await)': () =>
      timed(async (see) => {
        const s = await new Client({ baseUrl: base, bearerToken: TOKEN, transport: 'fetch' }).stream.posts({ reconnect: { enabled: false } });
        for await (const ev of s) see(ev);
      }),
  };
}

// ---------- pagination memory ----------

const gc = (globalThis as any).gc as (() => void) | undefined;
async function held(walk: () => Promise<unknown>): Promise<{ mib: number; items: number }> {
  gc?.();
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const keep = await walk(); // the paginator stays referenced, as after a walk in user code
  gc?.();
  gc?.();
  const after = process.memoryUsage().heapUsed;
  const items = (keep as { n: number }).n;
  return { mib: (after - before) / 2 ** 20, items };
}

function pagination(base: string): Record<string, () => Promise<{ mib: number; items: number }>> {
  const c = new Client({ baseUrl: base, bearerToken: TOKEN });
  const xdk = new XdkClient({ baseUrl: base, bearerToken: TOKEN });
  return {
    'official xdk 0.6.6 UserPaginator': () =>
      held(async () => {
        const p = new XdkUserPaginator(async (token?: string) => (await xdk.users.getFollowers('1', { maxResults: 1000, paginationToken: token })) as any);
        let n = 0;
        for await (const _ of p) n++;
        return Object.assign(p, { n });
      }),
    '@roost/sdk paginate (for await)': () =>
      held(async () => {
        const p = c.users.getFollowers.paginate('1', { maxResults: 1000 });
        let n = 0;
        for await (const _ of p) n++;
        return Object.assign(p, { n });
      }),
    '@roost/sdk paginate (keepItems: true)': () =>
      held(async () => {
        const p = c.users.getFollowers.paginate('1', { maxResults: 1000 });
        while (!p.done) await p.fetchNext();
        return Object.assign(p, { n: p.items.length });
      }),
  };
}

const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function cpuPart(url: string): Promise<boolean> {
  log(`client CPU per user lookup: ${ROUNDS} rounds × ${N} sequential requests per client…`);
  const cpu = await benchCpu(url);
  console.log('\n| client CPU per user lookup | µs | × raw fetch | × node:http | × twitter-api-v2 | × official xdk |');
  console.log('|---|---|---|---|---|---|');
  for (const [k, v] of Object.entries(cpu)) {
    console.log(`| ${k} | ${fmt(v)} | ${fmt(v / cpu['raw fetch'], 2)} | ${fmt(v / cpu['node:http'], 2)} | ${fmt(v / cpu['twitter-api-v2 1.29.1'], 2)} | ${fmt(v / cpu['official xdk 0.6.6'], 2)} |`);
  }
  const ok = cpu['@roost/sdk (node:http)'] <= cpu['twitter-api-v2 1.29.1'];
  console.log(`target: @roost/sdk ≤ twitter-api-v2 → ${ok ? 'met' : 'MISSED'}`);
  return ok;
}

/** One chunking mode: warm-ups, then interleaved rounds; prints the table; returns ours ÷ xdk (on data) and delivery. */
async function streamMode(url: string, label: string): Promise<{ ratio: number; intact: boolean }> {
  log(`streams (${label}): ${STREAM_EVENTS.toLocaleString()} events per client, ${WARMUPS} warm-ups + ${STREAM_ROUNDS} rounds…`);
  const st = streams(url);
  for (let w = 0; w < WARMUPS; w++) for (const fn of Object.values(st)) await fn();
  const runs: Record<string, StreamResult[]> = {};
  for (let r = 0; r < STREAM_ROUNDS; r++) for (const [k, fn] of Object.entries(st)) (runs[k] ??= []).push(await fn());
  // Median rates; the worst round's delivery counts.
  const sres: Record<string, StreamResult> = Object.fromEntries(
    Object.entries(runs).map(([k, v]) => [
      k,
      {
        eventsPerSec: median(v.map((x) => x.eventsPerSec)),
        eventsPerCpuSec: median(v.map((x) => x.eventsPerCpuSec)),
        received: Math.min(...v.map((x) => x.received)),
        corrupted: Math.max(...v.map((x) => x.corrupted)),
      },
    ]),
  );
  const x = (k: string) => sres[k].eventsPerCpuSec;
  const range = (k: string) => {
    const r = runs[k].map((v) => v.eventsPerCpuSec / 1000);
    return `${fmt(Math.min(...r))}–${fmt(Math.max(...r))}k`;
  };
  console.log(`\n| ${fmt(STREAM_EVENTS)} posts, ${label} | events/s (wall) | events per CPU-s (median) | rounds | × raw fetch | × node:http | × official xdk (on data) | received | corrupted |`);
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const [k, v] of Object.entries(sres)) {
    console.log(`| ${k} | ${fmt(v.eventsPerSec)} | ${fmt(v.eventsPerCpuSec)} | ${range(k)} | ${fmt(v.eventsPerCpuSec / x('raw fetch'), 2)} | ${fmt(v.eventsPerCpuSec / x('node:http'), 2)} | ${fmt(v.eventsPerCpuSec / x('official xdk 0.6.6 (on data)'), 2)} | ${fmt(v.received)} | ${fmt(v.corrupted)} |`);
  }
  const ours = sres['@roost/sdk (on data)'];
  const intact = ['@roost/sdk (on data)', '@roost/sdk (for await)', '@roost/sdk (fetch, for await)'].every((k) => sres[k].received === STREAM_EVENTS && sres[k].corrupted === 0);
  return { ratio: ours.eventsPerCpuSec / x('official xdk 0.6.6 (on data)'), intact };
}

async function streamPart(url: string, perPostUrl: string): Promise<boolean> {
  const perPost = await streamMode(perPostUrl, 'one HTTP chunk per post (as X writes)');
  const big = await streamMode(url, '64 KiB HTTP chunks');
  console.log('(ratios are per client CPU-second: the wire and the server process cap the wall-clock rate of every client alike)');
  const ok = perPost.ratio >= 1.5 && perPost.intact && big.intact;
  console.log(`target: @roost/sdk (on data) ≥ 1.5 × official xdk with one chunk per post, every event intact → ${ok ? 'met' : 'MISSED'} (${fmt(perPost.ratio, 2)}×; 64 KiB chunks: ${fmt(big.ratio, 2)}×)`);
  return ok;
}

async function paginationPart(url: string): Promise<boolean> {
  if (!gc) log('(run with --expose-gc for meaningful memory figures: npm run bench:sdk)');
  log(`pagination: ${FOLLOWERS.toLocaleString()} followers in pages of 1000…`);
  const pres: Record<string, { mib: number; items: number }> = {};
  for (const [k, fn] of Object.entries(pagination(url))) pres[k] = await fn();
  console.log(`\n| paginating ${fmt(FOLLOWERS)} followers | heap held after the walk (MiB) | items walked |`);
  console.log('|---|---|---|');
  for (const [k, v] of Object.entries(pres)) console.log(`| ${k} | ${fmt(v.mib, 1)} | ${fmt(v.items)} |`);
  const ok = pres['@roost/sdk paginate (for await)'].mib < 2 && pres['@roost/sdk paginate (for await)'].items === FOLLOWERS;
  console.log(`target: for-await walk holds < 2 MiB (one page) → ${ok ? 'met' : 'MISSED'}`);
  return ok;
}

async function main(): Promise<number> {
  const server = ServerProcess.spawn('sdk-server', './sdk-server.ts', [], { STREAM_EVENTS: String(STREAM_EVENTS), FOLLOWERS: String(FOLLOWERS) });
  let ok = true;
  try {
    const { url, perPostUrl } = await server.handshake<{ url: string; perPostUrl: string }>(30_000);
    if (run('cpu')) ok = (await cpuPart(url)) && ok;
    if (run('streams')) ok = (await streamPart(url, perPostUrl)) && ok;
    if (run('pagination')) ok = (await paginationPart(url)) && ok;
  } finally {
    await server.stop();
  }
  return !ok && flags.strict ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
