/**
 * `npx tsx bench/scale-out.ts` (`npm run bench:scale`): Roost scale-out on this machine — three `roost serve`
 * processes on one PostgreSQL and one Redis (@roost/dev-env's startCluster, the multi-node test's harness).
 *
 * 1. Cross-node stream latency: a filtered stream held on node B; posts created one at a time on node A. For each
 *    post: from the POST's acknowledgement (201) to its line on B, and from sending the POST. Prints p50/p99/max.
 * 2. Aggregate throughput of 1, 2 and 3 nodes: lookups (GET /2/tweets?ids=… of 10 posts) and writes (POST
 *    /2/tweets), autocannon spreading the same total connections over the nodes in use. Ratios are against one
 *    node, measured in the same run. Where the time goes: CPU seconds of the Roost processes, PostgreSQL (postmaster
 *    and backends) and Redis during each run, from /proc.
 *
 * Every node of the cluster runs throughout (an idle node still reads the bus), as it would behind a balancer
 * taking it in and out. Flags: --duration <s> (6)  --connections <n> (24)  --posts <n> (200)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { parseArgs } from 'node:util';
import autocannon, { type Options, type Result } from 'autocannon';
import { CLUSTER_CREDENTIALS as C, startCluster, type Cluster } from '@roost/dev-env';

const { values: flags } = parseArgs({
  options: { duration: { type: 'string', default: '6' }, connections: { type: 'string', default: '24' }, posts: { type: 'string', default: '200' } },
});
const DURATION = Number(flags.duration);
const CONNECTIONS = Number(flags.connections);
const POSTS = Number(flags.posts);
const log = (msg: string) => process.stderr.write(`${msg}\n`);
const user = { authorization: `Bearer ${C.userToken}` };

async function post(url: string, text: string): Promise<string> {
  const r = await fetch(`${url}/2/tweets`, { method: 'POST', headers: { ...user, 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
  if (r.status !== 201) throw new Error(`POST /2/tweets answered ${r.status}: ${await r.text()}`);
  return ((await r.json()) as { data: { id: string } }).data.id;
}

/** Holds a filtered stream and notes when each post id arrives. */
function holdStream(url: string, arrived: Map<string, number>): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/2/tweets/search/stream`, { headers: { authorization: `Bearer ${C.bearerToken}` } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const now = performance.now();
        buf += chunk;
        const lines = buf.split('\r\n');
        buf = lines.pop()!;
        for (const l of lines) if (l) arrived.set((JSON.parse(l) as { data: { id: string } }).data.id, now);
      });
      res.on('error', () => undefined);
      resolve(() => req.destroy());
    });
    req.on('error', reject);
    req.end();
  });
}

const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

async function latency(cluster: Cluster): Promise<void> {
  const [a, b] = cluster.nodes;
  const arrived = new Map<string, number>();
  const close = await holdStream(b!.url, arrived);
  const fromAck: number[] = [];
  const fromSend: number[] = [];
  for (let i = 0; i < POSTS; i++) {
    const sent = performance.now();
    const id = await post(a!.url, `benchstream latency ${i} ${Date.now()}`);
    const acked = performance.now();
    for (let w = 0; !arrived.has(id) && w < 2000; w++) await new Promise((r) => setImmediate(r));
    for (let w = 0; !arrived.has(id) && w < 1000; w++) await new Promise((r) => setTimeout(r, 1));
    const at = arrived.get(id);
    if (at === undefined) throw new Error(`post ${id} never reached the stream on node B`);
    fromAck.push(Math.max(0, at - acked));
    fromSend.push(at - sent);
  }
  close();
  const row = (name: string, xs: number[]) => `${name.padEnd(34)} p50 ${pct(xs, 0.5).toFixed(2)} ms  p99 ${pct(xs, 0.99).toFixed(2)} ms  max ${Math.max(...xs).toFixed(2)} ms`;
  console.log(`\ncross-node delivery, ${POSTS} posts created on node A, filtered stream on node B`);
  console.log(row('  201 on A -> line on B', fromAck));
  console.log(row('  POST sent to A -> line on B', fromSend));
}

/** utime + stime in seconds of `pids` and, for each, its children (PostgreSQL's backends). */
function cpuSeconds(pids: number[]): number {
  const tick = 100;
  const stat = (p: string) => {
    try {
      const f = readFileSync(`/proc/${p}/stat`, 'utf8');
      const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
      return { ppid: Number(rest[1]), cpu: (Number(rest[11]) + Number(rest[12])) / tick };
    } catch {
      return null;
    }
  };
  const want = new Set(pids);
  let total = 0;
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    const s = stat(p);
    if (s && (want.has(Number(p)) || want.has(s.ppid))) total += s.cpu;
  }
  return total;
}

let counter = 0;
const nextBody = () => JSON.stringify({ text: `bench scale post ${++counter} ${process.pid} #roost` });

async function load(urls: string[], kind: 'read' | 'write', path: string): Promise<number> {
  const per = Math.max(1, Math.round(CONNECTIONS / urls.length));
  const runs = urls.map((u) => {
    const opts = {
      url: u + path,
      connections: per,
      duration: DURATION,
      timeout: 10,
      headers: kind === 'write' ? { ...user, 'content-type': 'application/json' } : user,
      ...(kind === 'write' ? { requests: [{ method: 'POST', setupRequest: (req: Record<string, unknown>) => ({ ...req, body: nextBody() }) }] } : {}),
    };
    return autocannon(opts as unknown as Options) as PromiseLike<Result>;
  });
  const results = await Promise.all(runs);
  const bad = results.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0);
  if (bad) throw new Error(`${kind}: ${bad} failed requests`);
  return results.reduce((n, r) => n + r.requests.average, 0);
}

async function throughput(cluster: Cluster): Promise<void> {
  const ids: string[] = [];
  for (let i = 0; i < 10; i++) ids.push(await post(cluster.nodes[0]!.url, `bench read target ${i} ${Date.now()}`));
  const lookup = `/2/tweets?ids=${ids.join(',')}&tweet.fields=created_at,public_metrics&expansions=author_id`;
  const roost = cluster.nodes.map((n) => n.pid);
  console.log(`\naggregate throughput, ${CONNECTIONS} connections over the nodes in use, ${DURATION} s each; CPU s of the run`);
  console.log('  kind   nodes     req/s   vs 1 node   Roost CPU   PostgreSQL CPU   Redis CPU');
  for (const kind of ['read', 'write'] as const) {
    let one = 0;
    for (let n = 1; n <= cluster.nodes.length; n++) {
      const urls = cluster.nodes.slice(0, n).map((x) => x.url);
      const before = [cpuSeconds(roost), cpuSeconds([cluster.postgres.pid]), cpuSeconds([cluster.redis.pid])];
      const rps = await load(urls, kind, kind === 'read' ? lookup : '/2/tweets');
      const after = [cpuSeconds(roost), cpuSeconds([cluster.postgres.pid]), cpuSeconds([cluster.redis.pid])];
      if (n === 1) one = rps;
      const d = after.map((x, i) => (x - before[i]!).toFixed(1));
      console.log(`  ${kind.padEnd(5)}  ${String(n).padStart(5)}  ${rps.toFixed(0).padStart(8)}  ${(rps / one).toFixed(2).padStart(10)}  ${d[0]!.padStart(10)}  ${d[1]!.padStart(15)}  ${d[2]!.padStart(10)}`);
    }
  }
}

log('starting PostgreSQL, Redis and three Roost nodes…');
const cluster = await startCluster({ nodes: 3, env: { ROOST_RATE_LIMITS: 'off', ROOST_METERING: 'off', ROOST_LOG_LEVEL: 'error' } });
try {
  const r = await fetch(`${cluster.nodes[0]!.url}/2/tweets/search/stream/rules`, {
    method: 'POST',
    headers: { authorization: `Bearer ${C.bearerToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ add: [{ value: 'benchstream' }] }),
  });
  if (r.status >= 300) throw new Error(`rules: ${r.status}`);
  await latency(cluster);
  await throughput(cluster);
  console.log(`\nload average while measuring: ${readFileSync('/proc/loadavg', 'utf8').trim()}`);
} finally {
  await cluster.stop();
}
