/**
 * Records which contract operations the test suite reaches (for `npm run coverage:api`). When
 * ROOST_API_HITS_DIR is set (by `npm test`), each test process appends every operationId it reaches for the
 * first time to its own file there; nothing is recorded otherwise.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { operationFor } from './schema-check.js';

const dir = process.env.ROOST_API_HITS_DIR;
const seen = new Set<string>();
let file: string | undefined;

export function recordApiHit(method: string, pathname: string, status: number): void {
  if (!dir || status === 404) return;
  const op = operationFor(method, pathname);
  if (!op || seen.has(op.operationId)) return;
  seen.add(op.operationId);
  if (!file) {
    mkdirSync(dir, { recursive: true });
    file = join(dir, `${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  }
  appendFileSync(file, `${op.operationId}\n`);
}
