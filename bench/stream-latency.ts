/**
 * `npm run bench:streams:latency`: end-to-end latency from `POST /2/tweets` returning to the post arriving on a
 * filtered stream, at a paced 500 posts/s. Target: p99 < 50 ms. Baseline measured in the same run: the latency
 * of the POST itself (request sent → 201 received), printed next to it as a ratio.
 *
 * Roost runs in a child process (this file with `--child`: SQLite in a temp directory, a small seeded world,
 * rate limits and metering off — thousands of posts from one user are past X's limits and not what this
 * measures). The parent adds one rule, opens `GET /2/tweets/search/stream`, then sends posts at --rate for
 * --seconds after a 1 s warm-up (at most 10,000 posts), each carrying its sequence number; every POST must be a
 * 201 and every post must arrive, or the run fails. A post that arrives before its POST's response counts 0 ms.
 *
 * Flags: --rate <posts/s> (500)  --seconds <s> (6)  --strict (exit 1 when p99 ≥ 50 ms)
 */
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchEntry, jsonCall, log, pct } from './bench-kit.js';
import { openFilteredStream, ServerProcess, serveBenchWorld } from './children.js';

const { values: flags } = parseArgs({
  options: {
    child: { type: 'boolean', default: false },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '6' },
    strict: { type: 'boolean', default: false },
  },
});


async function child(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'roost-bench-stream-'));
  await serveBenchWorld({ dir, dbUrl: join(dir, 'roost.db'), world: { users: 200, posts: 2000 } });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

const request = (url: string, method: string, token: string, body?: unknown) => jsonCall(agent, url, method, token, body);


async function main(): Promise<number> {
  const rate = Number(flags.rate);
  const seconds = Number(flags.seconds);
  if (!(rate > 0 && rate <= 5000) || !(seconds > 0 && seconds <= 60)) throw new Error('--rate in (0, 5000], --seconds in (0, 60]');
  const roost = ServerProcess.spawn('roost-stream-server', './stream-latency.ts', ['--child']);
  try {
    log('starting Roost (seeding a small world)…');
    const hs = await roost.handshake<{ url: string; token: string; bearer: string }>(300_000);
    const rules = await request(`${hs.url}/2/tweets/search/stream/rules`, 'POST', hs.bearer, { add: [{ value: 'latencybench', tag: 'bench' }] });
    if (rules.status !== 200) throw new Error(`adding the rule: ${rules.status} ${rules.text}`);

    const arrived = new Map<number, number>();
    const stream = await openFilteredStream(hs.url, hs.bearer, (line, now) => {
      const m = /latencybench (\d+) /.exec(JSON.parse(line).data?.text ?? '');
      if (m) arrived.set(Number(m[1]), now);
    });

    const returned = new Map<number, number>();
    const postMs: number[] = [];
    let seq = 0;
    let failures = 0;
    const inflight: Promise<void>[] = [];
    const run = async (secs: number, record: boolean) => {
      const total = Math.min(10_000, Math.round(rate * secs));
      const start = performance.now();
      for (let k = 0; k < total; k++) {
        const due = start + (k * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        const n = ++seq;
        const sent = performance.now();
        inflight.push(
          request(`${hs.url}/2/tweets`, 'POST', hs.token, { text: `latencybench ${n} at ${Date.now()} #${n % 97}` }).then((r) => {
            const now = performance.now();
            if (r.status !== 201) failures++;
            if (record) {
              returned.set(n, now);
              postMs.push(now - sent);
            }
          }),
        );
      }
      await Promise.all(inflight.splice(0));
    };
    log(`warm-up 1 s at ${rate} posts/s`);
    await run(1, false);
    log(`measuring ${seconds} s at ${rate} posts/s`);
    const firstMeasured = seq + 1;
    const t0 = performance.now();
    await run(seconds, true);
    const achieved = (seq - firstMeasured + 1) / ((performance.now() - t0) / 1000);
    if (failures) throw new Error(`${failures} POST /2/tweets did not answer 201`);
    const deadline = Date.now() + 10_000;
    while (arrived.size < seq && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const latencies: number[] = [];
    let early = 0;
    for (let n = firstMeasured; n <= seq; n++) {
      const a = arrived.get(n);
      const r = returned.get(n);
      if (a === undefined || r === undefined) throw new Error(`post ${n} never arrived on the stream`);
      if (a < r) early++;
      latencies.push(Math.max(0, a - r));
    }
    stream.destroy();
    const p99 = pct(latencies, 0.99);
    const postP99 = pct(postMs, 0.99);
    const sustained = achieved >= rate * 0.95;
    const ok = p99 < 50 && sustained;
    process.stdout.write(
      [
        '',
        `${'measured'.padEnd(44)}  ${'posts'.padStart(6)}  ${'p50 ms'.padStart(7)}  ${'p99 ms'.padStart(7)}  ${'max ms'.padStart(7)}`,
        `${'POST /2/tweets round trip (baseline)'.padEnd(44)}  ${String(postMs.length).padStart(6)}  ${pct(postMs, 0.5).toFixed(2).padStart(7)}  ${postP99.toFixed(2).padStart(7)}  ${Math.max(...postMs).toFixed(2).padStart(7)}`,
        `${'POST returned → delivered on the stream'.padEnd(44)}  ${String(latencies.length).padStart(6)}  ${pct(latencies, 0.5).toFixed(2).padStart(7)}  ${p99.toFixed(2).padStart(7)}  ${Math.max(...latencies).toFixed(2).padStart(7)}`,
        '',
        `delivery p99 / POST p99 = ${(p99 / postP99).toFixed(2)}; ${early} of ${latencies.length} posts arrived before their POST's response`,
        `achieved ${achieved.toFixed(0)} posts/s of ${rate} asked${achieved < rate * 0.95 ? ' (the server could not keep up: POST latencies include queueing)' : ''}`,
        sustained
          ? `target: delivery p99 < 50 ms at ${rate} posts/s: ${ok ? 'PASS' : 'MISS'}`
          : `target: delivery p99 < 50 ms at ${rate} posts/s: NOT MEASURED (the rate was not sustained; delivery p99 ${p99.toFixed(1)} ms at ${achieved.toFixed(0)} posts/s)`,
        '',
      ].join('\n'),
    );
    return flags.strict && !ok ? 1 : 0;
  } finally {
    agent.destroy();
    await roost.stop();
  }
}

benchEntry('stream-latency', !!flags.child, child, main);
