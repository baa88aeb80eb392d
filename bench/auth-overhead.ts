/**
 * `npx tsx bench/auth-overhead.ts`: what rate limiting and metering cost per request.
 *
 * Two Roost children on identical fresh worlds: one with rate limits and metering OFF, one with them ON (the
 * default SQL limiter, so every request writes its bucket; a limit high enough never to answer 429). Both serve
 * the same bearer-authenticated lookup (`GET /2/users/by/username/xdevelopers`), measured in alternating rounds
 * (off, on, off, on, …) so drift in the machine hits both sides alike. Prints requests/s of each and the ratio
 * ON / OFF (target ≥ 0.85). Every response must be a 2xx.
 *
 * Flags: --duration <s> (5 per round)  --warmup <s> (2)  --connections <n> (12)  --rounds <n> (2)
 *        --limiter memory|sql (sql)  --strict (exit 1 below target)
 */
import { parseArgs } from 'node:util';
import autocannon, { type Result } from 'autocannon';
import { ServerProcess } from './children.js';

const TARGET = 0.85;
const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '12' },
    rounds: { type: 'string', default: '2' },
    limiter: { type: 'string', default: 'sql' },
    strict: { type: 'boolean', default: false },
  },
});
const duration = Number(flags.duration);
const warmup = Number(flags.warmup);
const connections = Number(flags.connections);
const rounds = Number(flags.rounds);

const log = (m: string) => process.stderr.write(`${m}\n`);

interface Handshake {
  url: string;
  token: string;
}

async function run(url: string, token: string, seconds: number): Promise<Result> {
  const r = await autocannon({ url, headers: { authorization: `Bearer ${token}` }, connections, pipelining: 1, duration: seconds, timeout: 10 });
  if (r.non2xx || r.errors || r.timeouts || !r['2xx']) {
    throw new Error(`${url}: ${r.non2xx} non-2xx (${JSON.stringify(r.statusCodeStats)}), ${r.errors} errors, ${r.timeouts} timeouts`);
  }
  return r;
}

async function main(): Promise<number> {
  const common = { BENCH_USERS: process.env.BENCH_USERS ?? '1000', BENCH_POSTS: process.env.BENCH_POSTS ?? '20000' };
  const off = ServerProcess.spawn('roost-off', './roost-server.ts', [], { ...common, ROOST_RATE_LIMITS: 'off', ROOST_METERING: 'off' });
  const on = ServerProcess.spawn('roost-on', './roost-server.ts', [], {
    ...common,
    ROOST_RATE_LIMITS: 'on',
    ROOST_METERING: 'on',
    ROOST_LIMITER: flags.limiter,
    // High enough never to answer 429 during the run; everything else as in production.
    ROOST_RATE_LIMIT_OVERRIDES: JSON.stringify({ getUsersByUsername: { app: 1_000_000_000 } }),
  });
  try {
    log('starting two Roost children (limits+metering off / on)…');
    const [hOff, hOn] = await Promise.all([off.handshake<Handshake>(300_000), on.handshake<Handshake>(300_000)]);
    const path = '/2/users/by/username/xdevelopers?user.fields=created_at,description,public_metrics';
    const probe = await fetch(`${hOn.url}${path}`, { headers: { authorization: `Bearer ${hOn.token}` } });
    if (probe.status !== 200 || !probe.headers.get('x-rate-limit-limit')) throw new Error(`ON server: expected 200 with rate-limit headers, got ${probe.status}`);
    log(`  ON answers with x-rate-limit-limit ${probe.headers.get('x-rate-limit-limit')}; warming up ${warmup} s each`);
    await run(`${hOff.url}${path}`, hOff.token, warmup);
    await run(`${hOn.url}${path}`, hOn.token, warmup);
    const offRates: number[] = [];
    const onRates: number[] = [];
    for (let i = 0; i < rounds; i++) {
      offRates.push((await run(`${hOff.url}${path}`, hOff.token, duration)).requests.average);
      onRates.push((await run(`${hOn.url}${path}`, hOn.token, duration)).requests.average);
      log(`  round ${i + 1}: off ${offRates[i]!.toFixed(0)} req/s, on ${onRates[i]!.toFixed(0)} req/s`);
    }
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    const ratio = mean(onRates) / mean(offRates);
    const pass = ratio >= TARGET;
    process.stdout.write(
      `\nbearer lookup, limits+metering OFF: ${mean(offRates).toFixed(0)} req/s\n` +
        `bearer lookup, limits+metering ON (${flags.limiter} limiter): ${mean(onRates).toFixed(0)} req/s\n` +
        `ratio ON/OFF: ${ratio.toFixed(3)} (target >= ${TARGET}) ${pass ? 'PASS' : 'MISS'}\n`,
    );
    return pass || !flags.strict ? 0 : 1;
  } finally {
    await Promise.all([off.stop(), on.stop()]);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    log(`auth-overhead failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  },
);
