/**
 * `npm test`'s architecture gate: the import rules (.dependency-cruiser.cjs) and no copied code (jscpd, 50 tokens)
 * over the repository. Prints each violation and exits 1 when there is any.
 *
 *   npx tsx scripts/check-architecture.ts
 */
import { resolve } from 'node:path';
import { CLONE_PATHS, clones, importViolations } from './architecture.js';

const root = resolve(import.meta.dirname, '..');
const imports = importViolations(root, ['packages']);
for (const v of imports) console.error(`import rule ${v.rule}: ${v.from} → ${v.to}`);
const copies = clones(root, CLONE_PATHS);
for (const c of copies) console.error(`copied code (${c.tokens} tokens): ${c.a} and ${c.b}`);
if (imports.length || copies.length) {
  console.error(`architecture: ${imports.length} import rule violation(s), ${copies.length} copied block(s) — see docs/architecture.md`);
  process.exit(1);
}
console.log('architecture: import rules hold, no copied code');
