/**
 * The architecture gate catches what it is meant to: a made-up tree laid out like this repository, with one planted
 * violation per import rule and one planted copy, checked by the same functions `npm test` runs on the real tree
 * (scripts/check-architecture.ts). A clean twin of each planted file shows the rules do not fire on allowed imports.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clones, importViolations } from '../../../scripts/architecture.js';

const repo = resolve(import.meta.dirname, '../../..');
const root = mkdtempSync(join(tmpdir(), 'roost-arch-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function put(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

const S = 'packages/server/src';
// Targets the planted files import.
for (const f of ['http/app', 'data/posts', 'db/connect', 'search/index', 'api/index', 'domain/posts', 'pipeline/hydrate'])
  put(`${S}/${f}.ts`, `export const value = '${f}';\nexport interface Shape { id: string }\n`);
put('packages/server/src/index.ts', `export const server = 1;\n`);
put('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true } }));
symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'), 'dir');
// The house's rules as they are, resolving through that link as if the packages were installed here.
put(
  'depcruise.cjs',
  `const real = require(${JSON.stringify(join(repo, '.dependency-cruiser.cjs'))});\n` +
    `module.exports = { ...real, options: { ...real.options, preserveSymlinks: true } };\n`,
);

/** One file per rule, breaking only that rule. */
const planted: Record<string, [path: string, text: string]> = {
  'api-not-http': [`${S}/api/posts/planted.ts`, `import { value } from '../../http/app.js';\nexport const x = value;\n`],
  'sql-only-in-data-and-db': [`${S}/pipeline/planted.ts`, `import { sql } from 'kysely';\nexport const q = sql\`select 1\`;\n`],
  'store-opened-by-roots': [`${S}/api/posts/opens-store.ts`, `import { value } from '../../db/connect.js';\nexport const x = value;\n`],
  'migrations-frozen': [`${S}/db/migrations/099_planted.ts`, `import { value } from '../../data/posts.js';\nexport const x = value;\n`],
  'views-pure': [`${S}/pipeline/present-planted.ts`, `import { value } from '../data/posts.js';\nexport const x = value;\n`],
  'query-language-pure': [`${S}/query/planted.ts`, `import { value } from '../search/index.js';\nexport const x = value;\n`],
  'data-flows-down': [`${S}/data/planted.ts`, `import { value } from '../api/index.js';\nexport const x = value;\n`],
  'domain-below-http': [`${S}/domain/planted.ts`, `import { value } from '../http/app.js';\nexport const x = value;\n`],
  'sdk-not-server': ['packages/sdk/src/planted.ts', `import { server } from '../../server/src/index.js';\nexport const x = server;\n`],
};

/** Imports the rules allow, beside the planted ones. */
const allowed: [path: string, text: string][] = [
  [`${S}/api/posts/allowed.ts`, `import { value } from '../../domain/posts.js';\nimport { value as h } from '../../pipeline/hydrate.js';\nexport const x = value + h;\n`],
  [`${S}/pipeline/present-allowed.ts`, `import type { Shape } from '../data/posts.js';\nexport const view = (s: Shape) => s.id;\n`],
  [`${S}/domain/allowed.ts`, `import { value } from '../data/posts.js';\nexport const x = value;\n`],
  [`${S}/data/allowed.ts`, `import { sql } from 'kysely';\nimport { value } from '../db/connect.js';\nexport const q = [sql\`select 1\`, value];\n`],
];

describe('the architecture gate', () => {
  it('names each planted import violation by its rule, and nothing else', () => {
    for (const [path, text] of [...Object.values(planted), ...allowed]) put(path, text);
    const found = importViolations(root, ['packages'], join(root, 'depcruise.cjs'));
    const byRule = new Map<string, string[]>();
    for (const v of found) byRule.set(v.rule, [...(byRule.get(v.rule) ?? []), v.from]);
    for (const [rule, [path]] of Object.entries(planted)) expect(byRule.get(rule), rule).toContain(path);
    // Only the planted files break rules (allowed imports stay quiet).
    expect(new Set(found.map((v) => v.from))).toEqual(new Set(Object.values(planted).map(([p]) => p)));
  });

  it('finds a block copied between two files, not two different ones', () => {
    const body = (name: string, op: string) =>
      `export function ${name}(rows: { id: string; count: number; tags: string[] }[], limit: number): Map<string, number> {\n` +
      `  const out = new Map<string, number>();\n` +
      `  for (const row of rows) {\n` +
      `    if (out.size >= limit) break;\n` +
      `    const seen = out.get(row.id) ?? 0;\n` +
      `    out.set(row.id, seen ${op} row.count + row.tags.length);\n` +
      `  }\n` +
      `  return out;\n` +
      `}\n`;
    put('packages/copies/src/one.ts', body('tally', '+'));
    put('packages/copies/src/two.ts', `export const unrelated = 1;\n\n${body('tally', '+')}`);
    put('packages/distinct/src/three.ts', `export const a = [1, 2, 3].map((n) => n * 2).filter((n) => n > 2);\n`);
    put('packages/distinct/src/four.ts', `export function join(parts: string[]): string {\n  return parts.filter(Boolean).join('/');\n}\n`);
    const copied = clones(root, ['packages/copies/src']);
    expect(copied).toHaveLength(1);
    expect([copied[0]!.a, copied[0]!.b].map((w) => w.split(':')[0]).sort()).toEqual(['packages/copies/src/one.ts', 'packages/copies/src/two.ts']);
    expect(clones(root, ['packages/distinct/src'])).toEqual([]);
  });
});
