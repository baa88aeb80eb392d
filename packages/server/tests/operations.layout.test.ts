/**
 * The house rule of operations: one declaration per operation in `api/<tag>/<operationId>.ts` (folders named
 * after the spec's tags), or, for a homogeneous family, one kebab-case table file in its tag folder; every
 * declared operation listed once in the registry.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { operation as describeOp } from '@roost/contract';
import { operations } from '../src/api/index.js';
import { descriptorOf, routePath } from '../src/http/operation-route.js';

const API = join(import.meta.dirname, '..', 'src', 'api');
const folderOf = (tag: string) => tag.toLowerCase().replace(/\s+/g, '-');

const files: { folder: string; name: string; text: string }[] = [];
for (const folder of readdirSync(API)) {
  if (!statSync(join(API, folder)).isDirectory()) continue;
  for (const f of readdirSync(join(API, folder))) {
    if (f.endsWith('.ts') && !f.endsWith('.test.ts')) files.push({ folder, name: f.slice(0, -3), text: readFileSync(join(API, folder, f), 'utf8') });
  }
}
const ids = new Set(operations.map((o) => o.operationId as string));
const declares = (text: string, id: string) => new RegExp(`(operationId: |Operation\\()'${id}'`).test(text);

describe('operation layout', () => {
  it('lists every operation once in the registry, each route once', () => {
    expect(ids.size).toBe(operations.length);
    const routes = operations.map((o) => {
      const d = descriptorOf(o);
      return `${d.method} ${routePath(d.path)}`;
    });
    expect(new Set(routes).size).toBe(routes.length);
  });

  it('puts each operation file in the folder of its tag, named after its operationId', () => {
    for (const f of files) {
      if (!/^[a-z][A-Za-z0-9]*$/.test(f.name) || f.name.includes('-')) continue;
      expect(ids.has(f.name), `api/${f.folder}/${f.name}.ts declares no registered operation`).toBe(true);
      expect(f.text, `api/${f.folder}/${f.name}.ts`).toMatch(new RegExp(`export const ${f.name} = operation\\(\\{\\n  operationId: '${f.name}',`));
      expect(folderOf(describeOp(f.name).tag), `api/${f.folder}/${f.name}.ts`).toBe(f.folder);
    }
  });

  it('declares every registered operation in exactly one file of its tag folder', () => {
    for (const id of ids) {
      const where = files.filter((f) => declares(f.text, id));
      expect(where.map((f) => `${f.folder}/${f.name}`), id).toHaveLength(1);
      const [f] = where;
      expect(f.folder, id).toBe(folderOf(describeOp(id).tag));
      // A declaration outside a file of its own name sits in a kebab-case table file of a family.
      if (f.name !== id) expect(f.name, id).toMatch(/^[a-z]+(-[a-z0-9]+)+$/);
    }
  });

  it('keeps helper modules of a tag folder kebab-case, so a camelCase file is always an operation', () => {
    for (const f of files) {
      const isOperation = ids.has(f.name);
      if (!isOperation) expect(f.name, `api/${f.folder}/${f.name}.ts`).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });
});
