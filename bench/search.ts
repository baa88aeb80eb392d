/**
 * Search in a 1M-post world: the SQL executor (SQLite FTS5, what `GET /2/tweets/search/*` runs) against a full
 * scan of every post with the in-memory matcher, in the same process and run.
 *
 *   npx tsx bench/search.ts [--rounds 3] [--queries 40] [--users 10000 --posts 1000000] [--sql-only]
 *
 * `--users`/`--posts` size the world (10M posts: `--users 100000 --posts 10000000 --sql-only`); `--sql-only` skips
 * the scan baseline, whose documents for every post would not fit in memory at that size.
 *
 * The world (seed 1, 10,000 users, 1,000,000 posts, "now" 2026-11-01) is seeded once into a file under the OS temp
 * directory and reused (seeding writes the search index as it goes; the time is printed when it happens).
 * Query shapes: a single keyword, a two-word phrase, `from:` + keyword, and a 10-clause query with OR, grouping and
 * negations; values are drawn from the world (rare to common words). Each query asks the first page (11 rows, as
 * max_results=10 plus the look-ahead) over the whole archive, newest first. The baseline is what a store without an
 * index does: evaluate the compiled matcher on every post (documents and their token caches already in memory —
 * the baseline's best case) and keep the 11 newest matches. The SQL executor is timed first, before the baseline's
 * million documents are loaded (their heap would add GC pauses to its timings); both must give the same answers.
 *
 * Targets: keyword p99 under 50 ms; at least 20× faster than the scan.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { log, pct } from './bench-kit.js';
import { openStore } from '../packages/server/src/db/connect.js';
import { createRepos } from '../packages/server/src/data/index.js';
import { seedWorld } from '../packages/server/src/seed/world.js';
import { compileMatcher, type MatchDoc } from '../packages/server/src/query/matcher.js';
import { parseQuery, type Node } from '../packages/server/src/query/index.js';
import { loadMatchDocs } from '../packages/server/src/search/match-docs.js';
import { Random } from '../packages/server/src/seed/random.js';

const NOW = Date.UTC(2026, 10, 1);
const PAGE = 11;

const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    queries: { type: 'string', default: '40' },
    users: { type: 'string', default: '10000' },
    posts: { type: 'string', default: '1000000' },
    'sql-only': { type: 'boolean', default: false },
  },
});
const WORLD = { users: Math.max(1, Number(flags.users)), posts: Math.max(1, Number(flags.posts)) };
const CACHE = join(tmpdir(), `roost-bench-search-s1-${WORLD.users}u-${WORLD.posts}p-v1.db`);
const SCAN = !flags['sql-only'];
const ROUNDS = Math.max(1, Number(flags.rounds));
const PER_SHAPE = Math.max(4, Number(flags.queries));


const fresh = !existsSync(CACHE);
const store = await openStore(CACHE);
const repos = createRepos(store);
if (fresh) {
  log(`seeding ${WORLD.users} users / ${WORLD.posts} posts (with the search index) into ${CACHE}…`);
  const t0 = performance.now();
  await seedWorld(store, { seed: 1, users: WORLD.users, posts: WORLD.posts, now: NOW });
  log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

// Query values from the world: words by frequency rank (rare → common), phrases, active authors — drawn from a
// sample of 40,000 posts spread over the archive.
const r = new Random(99);
const allIds = (await store.read!<{ id: string }>('select cast(id as text) as id from posts order by id desc', [])).map((x) => x.id);
const sampleIds = allIds.filter((_, i) => i % Math.max(1, Math.floor(allIds.length / 40_000)) === 0);
const sample: MatchDoc[] = [];
for (let i = 0; i < sampleIds.length; i += 2000) {
  sample.push(...(await loadMatchDocs(repos, [...(await repos.posts.byIds(sampleIds.slice(i, i + 2000))).values()])));
}
const freq = new Map<string, number>();
const phrases: string[] = [];
const authors = new Map<string, number>();
for (const d of sample) {
  authors.set(d.author.username, (authors.get(d.author.username) ?? 0) + 1);
  if (d.post.repostedPostId) continue;
  const words = d.post.text.split(/\s+/).filter((w) => /^[a-z]{4,}$/.test(w));
  for (const w of new Set(words)) freq.set(w, (freq.get(w) ?? 0) + 1);
  if (words.length >= 3 && phrases.length < 5000) phrases.push(`${words[0]} ${words[1]}`);
}
const ranked = [...freq].filter(([w]) => w !== 'https').sort((a, b) => b[1] - a[1]).map(([w]) => w);
const word = () => ranked[Math.min(ranked.length - 1, Math.floor(Math.pow(r.next(), 2) * Math.min(ranked.length, 3000)))]!;
// Authors from the whole range of activity (the sample is weighted by posting, so most are active ones).
const authorList = [...authors].sort((a, b) => b[1] - a[1]).map(([u]) => u);

function shape(name: string, make: () => string): { name: string; queries: { text: string; ast: Node }[] } {
  const queries: { text: string; ast: Node }[] = [];
  while (queries.length < PER_SHAPE) {
    const text = make();
    const p = parseQuery(text, { product: 'all' });
    if (p.ok) queries.push({ text, ast: p.ast });
  }
  return { name, queries };
}

const shapes = [
  shape('keyword', () => word()),
  shape('phrase', () => `"${r.pick(phrases)}"`),
  shape('from: + keyword', () => `from:${r.pick(authorList)} ${word()}`),
  shape('10 clauses', () => `(${word()} OR ${word()} OR "${r.pick(phrases)}") -is:retweet -${word()} (has:links OR has:media OR lang:en) -is:reply ${word()} OR (from:${r.pick(authorList)} -has:mentions)`),
];


// Phase 1: the SQL executor, with nothing else in the heap (the baseline's documents would add GC pauses).
const results: Record<string, { sql: number[]; scan: number[] }> = {};
const answers = new Map<string, string>();
for (const s of shapes) results[s.name] = { sql: [], scan: [] };
for (const s of shapes) for (const q of s.queries.slice(0, 3)) await repos.search.ids(q.ast, { limit: PAGE, order: 'recency' });
for (let round = 0; round < ROUNDS; round++) {
  for (const s of shapes) {
    for (const q of s.queries) {
      const t = performance.now();
      const got = await repos.search.ids(q.ast, { limit: PAGE, order: 'recency' });
      results[s.name]!.sql.push(performance.now() - t);
      answers.set(q.text, got.join());
    }
  }
}

// Phase 2: the baseline — every searchable post as a matcher document, newest first, scanned in full.
if (SCAN) log(`loading ${WORLD.posts} posts' matcher documents for the baseline…`);
const t0 = performance.now();
const visible = SCAN
  ? await store.read!<{ id: string }>('select cast(p.id as text) as id from posts p join users a on a.id = p.author_id where p.deleted = 0 and p.superseded = 0 and a.protected = 0 and a.suspended = 0 order by p.id desc', [])
  : [];
const docs: MatchDoc[] = [];
for (let i = 0; i < visible.length; i += 2000) {
  const ids = visible.slice(i, i + 2000).map((x) => x.id);
  const rows = await repos.posts.byIds(ids);
  docs.push(...(await loadMatchDocs(repos, ids.map((id) => rows.get(id)!))));
}
if (SCAN) log(`${docs.length} documents in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

function scanRun(ast: Node): string[] {
  const m = compileMatcher(ast, { mode: 'search' });
  const out: string[] = [];
  for (const d of docs) if (m(d) && out.length < PAGE) out.push(d.post.id);
  return out;
}
// The first pass fills the documents' token caches (the baseline's best case from then on).
if (SCAN) scanRun(shapes[0]!.queries[0]!.ast);
for (const s of SCAN ? shapes : []) {
  s.queries.forEach((q, i) => {
    if (i % 4 !== 0) return;
    const t = performance.now();
    const got = scanRun(q.ast);
    results[s.name]!.scan.push(performance.now() - t);
    if (got.join() !== answers.get(q.text)) throw new Error(`executors disagree on ${q.text}: ${answers.get(q.text)} vs ${got.join()}`);
  });
}

const f = (x: number) => x.toFixed(2).padStart(8);
console.log(
  `search, ${WORLD.posts.toLocaleString('en-US')}-post world (${SCAN ? `${docs.length} searchable posts` : 'no scan baseline'}), first page newest first; sql: ${ROUNDS} rounds × ${PER_SHAPE} queries per shape${SCAN ? ', scan: every 4th query once' : ''}`,
);
console.log('shape              sql p50   sql p99  scan p50  scan p99   ratio (scan p50 / sql p50)');
let keywordOk = true;
for (const s of shapes) {
  const x = results[s.name]!;
  const ratio = pct(x.scan, 0.5) / pct(x.sql, 0.5);
  console.log(`${s.name.padEnd(16)} ${f(pct(x.sql, 0.5))}  ${f(pct(x.sql, 0.99))}  ${f(pct(x.scan, 0.5))}  ${f(pct(x.scan, 0.99))}   ${ratio.toFixed(1)}×`);
  if (s.name === 'keyword') keywordOk = pct(x.sql, 0.99) < 50 && (!SCAN || ratio >= 20);
}
console.log(`keyword target (p99 < 50 ms${SCAN ? ', ≥ 20× the scan' : ''}): ${keywordOk ? 'met' : 'MISSED'}`);
await store.close();
