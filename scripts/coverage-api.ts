/**
 * API coverage: per tag and in total, how many of the contract's operations Roost implements and how many the
 * test suite exercised (recorded by @roost/dev-env during `npm test`). With --check, exits 1 when an
 * implemented operation was not exercised by any test.
 *
 *   npm run coverage:api            (after npm test)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { operations } from '@roost/contract';
import { implementedOperations } from '@roost/server';

const dir = resolve(process.env.ROOST_API_HITS_DIR ?? '.tmp/api-hits');
if (!existsSync(dir)) {
  console.error(`no recorded test run in ${dir}: run npm test first`);
  process.exit(2);
}
const hits = new Set<string>();
for (const f of readdirSync(dir)) for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) if (line) hits.add(line);
const implemented = new Set(implementedOperations.map((o) => o.operationId as string));

const byTag = new Map<string, { total: number; impl: number; tested: number }>();
for (const o of operations) {
  const t = byTag.get(o.tag) ?? { total: 0, impl: 0, tested: 0 };
  t.total++;
  if (implemented.has(o.operationId)) t.impl++;
  if (implemented.has(o.operationId) && hits.has(o.operationId)) t.tested++;
  byTag.set(o.tag, t);
}
const pad = (s: string | number, n: number) => String(s).padStart(n);
const lines = [`${'tag'.padEnd(18)} ${pad('ops', 5)} ${pad('implemented', 12)} ${pad('tested', 7)}`];
let total = 0;
let impl = 0;
let tested = 0;
for (const [tag, t] of [...byTag].sort()) {
  lines.push(`${tag.padEnd(18)} ${pad(t.total, 5)} ${pad(t.impl, 12)} ${pad(t.tested, 7)}`);
  total += t.total;
  impl += t.impl;
  tested += t.tested;
}
lines.push(`${'total'.padEnd(18)} ${pad(total, 5)} ${pad(impl, 12)} ${pad(tested, 7)}`);
console.log(lines.join('\n'));
const untested = [...implemented].filter((id) => !hits.has(id)).sort();
if (untested.length) console.log(`\nimplemented but not exercised by any test: ${untested.join(', ')}`);
if (process.argv.includes('--check') && untested.length) process.exit(1);
