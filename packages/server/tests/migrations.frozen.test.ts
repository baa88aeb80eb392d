/**
 * Migrations are frozen: what a migration does must not change after it shipped, so it may import nothing of the
 * project outside db/ (live indexing, row mapping or domain code changes with every feature). A static scan of
 * every migration's imports, static and dynamic.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { migrationNames } from '../src/db/migrate.js';

const DB = resolve(import.meta.dirname, '../src/db');
const MIGRATIONS = join(DB, 'migrations');
/** Packages a migration may use: the query builder and Node's own modules. */
const PACKAGES = new Set(['kysely']);

/** The imports of one module that reach outside db/ (relative paths resolved from `file`). */
function importsOutsideDb(file: string, source: string): string[] {
  const { importedFiles } = ts.preProcessFile(source, true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((spec) => {
      if (spec.startsWith('.')) return relative(DB, resolve(dirname(file), spec)).startsWith('..');
      if (spec.startsWith('node:') || builtinModules.includes(spec)) return false;
      return !PACKAGES.has(spec);
    });
}

const files = readdirSync(MIGRATIONS).filter((f) => f.endsWith('.ts'));

describe('migrations are frozen', () => {
  it.each(files)('%s imports nothing outside db/', (f) => {
    const path = join(MIGRATIONS, f);
    expect(importsOutsideDb(path, readFileSync(path, 'utf8'))).toEqual([]);
  });

  it('the scan catches project imports outside db/, type-only and dynamic ones included', () => {
    const path = join(MIGRATIONS, '008_search.ts');
    // What 008 imported before it was frozen.
    expect(importsOutsideDb(path, "import { indexAllPosts } from '../../data/search.js';")).toEqual(['../../data/search.js']);
    expect(importsOutsideDb(path, "import type { PostRow } from '../../data/rows.js';")).toEqual(['../../data/rows.js']);
    expect(importsOutsideDb(path, "const m = await import('../../search/doc.js');")).toEqual(['../../search/doc.js']);
    expect(importsOutsideDb(path, "export { up } from '../../api/index.js';")).toEqual(['../../api/index.js']);
    expect(importsOutsideDb(path, "import { x } from '@roost/contract';")).toEqual(['@roost/contract']);
    expect(importsOutsideDb(path, "import { sql } from 'kysely';\nimport { createHash } from 'node:crypto';\nimport type { Dialect } from '../dialect.js';\nimport { f } from './008_search_doc.js';")).toEqual([]);
  });

  it('every migration file is either registered or a helper of a registered one', () => {
    const registered = migrationNames();
    for (const f of files) {
      const name = f.replace(/\.ts$/, '');
      expect(registered.some((r) => name === r || name.startsWith(`${r}_`))).toBe(true);
    }
  });
});
