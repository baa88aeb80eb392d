/**
 * `npm run bench:streams`: filtered-stream rule matching per core — posts per CPU-second through the indexed rule set
 * (streams/rule-index.ts) against the naive "evaluate every rule" loop, both measured in this run on the same
 * rules and posts. Targets: ≥ 50,000 posts/s indexed at 1,000 rules; indexed ≥ 10× naive at 25,000 rules.
 *
 * Rules and posts come from the property test's generator (streams/rule-gen.ts, `realistic` rules: specific
 * keywords, phrases, hashtags, mentions and authors, ORed and narrowed by flags) over a 30,000-word vocabulary
 * (posts: Zipf-distributed words, hashtags, mentions, quotes, reposts). Every post is a fresh object per
 * evaluation, so the matcher's per-post tokenization is paid each time, as on a live stream. Each loop runs for
 * a bounded time (--seconds, default 3) and at most --max posts. Both loops must report the same matches.
 *
 * Flags: --seconds <s> (3)  --max <n> (2000000)  --strict (exit 1 when a target is missed)
 */
import { parseArgs } from 'node:util';
import { RuleSet } from '../packages/server/src/streams/rule-index.js';
import { RuleWorld, rng } from '../packages/server/src/streams/rule-gen.js';
import type { MatchDoc } from '../packages/server/src/query/matcher.js';

const { values: flags } = parseArgs({
  options: {
    seconds: { type: 'string', default: '3' },
    max: { type: 'string', default: '2000000' },
    strict: { type: 'boolean', default: false },
  },
});
const seconds = Number(flags.seconds);
const max = Number(flags.max);
if (!(seconds > 0 && seconds <= 60) || !(max > 0)) throw new Error('--seconds must be in (0, 60], --max > 0');

const log = (m: string) => process.stderr.write(`${m}\n`);

/** A fresh top-level object: the matcher's per-document caches start empty, as for a new post. */
const fresh = (d: MatchDoc): MatchDoc => ({ ...d });

/**
 * Posts per CPU-second of this process (user + system time: "per core", unaffected by other processes sharing
 * the machine) and per wall-clock second.
 */
function measure(docs: readonly MatchDoc[], run: (d: MatchDoc) => number): { postsPerSec: number; wallPerSec: number; matches: number; posts: number } {
  const deadline = performance.now() + seconds * 1000;
  let posts = 0;
  let matches = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  while (posts < max) {
    for (let i = 0; i < 256; i++) matches += run(fresh(docs[(posts + i) % docs.length]!));
    posts += 256;
    if (performance.now() > deadline) break;
  }
  const cpu = process.cpuUsage(c0);
  const cpuSecs = (cpu.user + cpu.system) / 1e6;
  const wallSecs = (performance.now() - t0) / 1000;
  return { postsPerSec: posts / cpuSecs, wallPerSec: posts / wallSecs, matches, posts };
}

interface Row {
  rules: number;
  indexed: number;
  indexedWall: number;
  naive: number;
  ratio: number;
  matchesPerPost: number;
}

function bench(nRules: number): Row {
  const world = new RuleWorld(rng(42 + nRules), { words: 30_000, tags: 2_000, users: 5_000, realistic: true });
  const rules = world.rules(nRules);
  if (rules.length !== nRules) throw new Error(`generator gave ${rules.length} of ${nRules} rules`);
  const set = new RuleSet(rules);
  const docs = Array.from({ length: 4096 }, () => world.doc());
  // Same answers, post by post, before timing anything.
  let total = 0;
  for (const d of docs.slice(0, 1024)) {
    const a = set.match(fresh(d)).map((r) => r.id).join();
    const b = set.matchNaive(fresh(d)).map((r) => r.id).join();
    if (a !== b) throw new Error(`indexed and naive disagree on post ${d.post.id}: [${a}] vs [${b}]`);
    total += set.match(fresh(d)).length;
  }
  log(`${nRules} rules: warm-up`);
  measure(docs, (d) => set.match(d).length);
  measure(docs, (d) => set.matchNaive(d).length);
  log(`${nRules} rules: indexed ${seconds} s, naive ${seconds} s`);
  const indexed = measure(docs, (d) => set.match(d).length);
  const naive = measure(docs, (d) => set.matchNaive(d).length);
  return { rules: nRules, indexed: indexed.postsPerSec, indexedWall: indexed.wallPerSec, naive: naive.postsPerSec, ratio: indexed.postsPerSec / naive.postsPerSec, matchesPerPost: total / 1024 };
}

const rows = [bench(1000), bench(25_000)];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(11);
const lines = [
  '',
  'posts/s are per CPU-second of this process (one core); wall-clock figures in parentheses',
  `${'rules'.padStart(7)}  ${'indexed posts/s'.padStart(15)}  ${'(wall)'.padStart(9)}  ${'naive posts/s'.padStart(13)}  ${'indexed/naive'.padStart(13)}  ${'matches/post'.padStart(12)}  target`,
];
let miss = false;
for (const r of rows) {
  let target: string;
  if (r.rules === 1000) {
    const ok = r.indexed >= 50_000;
    miss ||= !ok;
    target = `≥ 50,000 posts/s: ${ok ? 'PASS' : 'MISS'}`;
  } else {
    const ok = r.ratio >= 10;
    miss ||= !ok;
    target = `≥ 10× naive: ${ok ? 'PASS' : 'MISS'}`;
  }
  lines.push(
    `${String(r.rules).padStart(7)}  ${fmt(r.indexed).padStart(15)}  ${('(' + Math.round(r.indexedWall) + ')').padStart(9)}  ${fmt(r.naive).padStart(13)}  ${r.ratio.toFixed(1).padStart(12)}×  ${r.matchesPerPost.toFixed(2).padStart(12)}  ${target}`,
  );
}
process.stdout.write(lines.join('\n') + '\n\n');
if (flags.strict && miss) process.exitCode = 1;
